// LDAP_SERVER_SD_FLAGS_OID: asks AD for only the parts of nTSecurityDescriptor we name. Without
// it AD also tries to return the SACL, which needs a privilege the bind account should not have,
// and then omits the attribute altogether.
import { BerWriter, Control } from 'ldapts';

export const SD_FLAGS_OID = '1.2.840.113556.1.4.801';
/** DACL_SECURITY_INFORMATION: the access control list, readable with READ_CONTROL. */
export const DACL_SECURITY_INFORMATION = 0x4;

export class SdFlagsControl extends Control {
  constructor(private readonly flags: number = DACL_SECURITY_INFORMATION) {
    super(SD_FLAGS_OID, { critical: true });
  }

  protected override writeControl(writer: BerWriter): void {
    const value = new BerWriter();
    value.startSequence();
    value.writeInt(this.flags);
    value.endSequence();
    writer.writeBuffer(value.buffer, 0x04);
  }
}
