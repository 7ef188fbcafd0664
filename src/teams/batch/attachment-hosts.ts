// Where a Teams file attachment may be downloaded from. When a person attaches a file, Teams first
// uploads it to their OneDrive for Business (SharePoint Online) and hands the bot its
// `downloadUrl`, a OneDrive URL the bot fetches with a plain GET: Microsoft Learn, "Send and
// receive files using bot" (msteams-platform/bots/how-to/bots-filesv4.md, "Receive files in
// personal chat": "`downloadUrl` | OneDrive URL for fetching the content of the file"). OneDrive
// for Business and SharePoint Online live under `<tenant>.sharepoint.com` and
// `<tenant>-my.sharepoint.com` worldwide, and under their own domains in the national clouds
// (`.sharepoint.us` GCC High, `.sharepoint-mil.us` DoD, `.sharepoint.cn` operated by 21Vianet,
// `.sharepoint.de` the former Microsoft Cloud Germany). Teams' other attachment service
// (`*.asm.skype.com`, `smba…/v3/attachments`) serves pasted images and needs the bot's own token;
// it never carries a `file.download.info` download URL, so it is not accepted.
//
// In sandbox mode nothing real may be reached: the only file host is the local Playground (or the
// test's stand-in connector) on loopback, where plain HTTP is allowed since nothing leaves the
// machine.

export type AttachmentHosts = 'teams' | 'loopback';

const SHAREPOINT_DOMAINS = [
  'sharepoint.com',
  'sharepoint.us',
  'sharepoint-mil.us',
  'sharepoint.cn',
  'sharepoint.de',
] as const;

/** Why the URL may not be fetched, as a message safe to show (it never repeats the URL); or undefined. */
export function attachmentUrlProblem(url: URL, hosts: AttachmentHosts): string | undefined {
  if (url.username !== '' || url.password !== '')
    return 'The attached file has an unusual download address; it was not downloaded.';
  const host = url.hostname.toLowerCase();
  if (hosts === 'loopback') {
    if (!isLoopback(host) || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      return url.protocol === 'https:'
        ? 'In sandbox mode only files offered by the local Playground are downloaded; this one was not.'
        : 'The attached file is not offered over HTTPS; it was not downloaded.';
    }
    return undefined;
  }
  if (url.protocol !== 'https:')
    return 'The attached file is not offered over HTTPS; it was not downloaded.';
  if (!isSharePointHost(host) || (url.port !== '' && url.port !== '443')) {
    return 'The attached file does not come from Teams (SharePoint or OneDrive); it was not downloaded.';
  }
  return undefined;
}

function isSharePointHost(host: string): boolean {
  // A tenant's own subdomain only: the bare domain is no tenant's, and a suffix match must start
  // at a label (not "evilsharepoint.com").
  return SHAREPOINT_DOMAINS.some(
    (domain) => host.endsWith(`.${domain}`) && host.length > domain.length + 1,
  );
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(host);
}
