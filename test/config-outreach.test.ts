// APPROVER_PERSONAL_CHATS, APPROVAL_REMINDER_MINUTES, ESCALATION_GROUP_ID and
// APPROVAL_ESCALATION_MINUTES: defaults, and the orders that make sense (remind, then escalate,
// both before the request expires).
import { strict as assert } from 'node:assert';
import { loadConfig } from '../src/config';
import {
  CONFIG_ROOT as ROOT,
  configRefusal,
  REAL_TENANT_ENV as REAL_TENANT,
} from './support/config-fixtures';

const GROUP = '51709574-85a8-492a-8da0-4050700d7937';
const problems = (env: NodeJS.ProcessEnv): string[] => configRefusal(env).problems;

describe('configuration: reaching approvers', () => {
  it('sends personal cards and reminds after 10 min with a real tenant; no personal chats in the sandbox', () => {
    assert.deepEqual(loadConfig(REAL_TENANT, ROOT).outreach, {
      personalCards: true,
      maxPeople: 25,
      reminderMinutes: 10,
    });
    assert.equal(loadConfig({}, ROOT).outreach.personalCards, false);
    assert.equal(
      loadConfig({ ...REAL_TENANT, APPROVER_PERSONAL_CHATS: 'false' }, ROOT).outreach.personalCards,
      false,
    );
  });

  it('escalates after 20 min by default when a group is named, and takes fractions of minutes', () => {
    assert.deepEqual(
      loadConfig({ ...REAL_TENANT, ESCALATION_GROUP_ID: GROUP }, ROOT).outreach.escalation,
      {
        minutes: 20,
        groupId: GROUP,
      },
    );
    const quick = loadConfig(
      {
        ...REAL_TENANT,
        ESCALATION_GROUP_ID: GROUP,
        APPROVAL_REMINDER_MINUTES: '0.1',
        APPROVAL_ESCALATION_MINUTES: '0.25',
      },
      ROOT,
    ).outreach;
    assert.equal(quick.reminderMinutes, 0.1);
    assert.equal(quick.escalation?.minutes, 0.25);
  });

  it('refuses an escalation not after the reminder, or not before the request expires', () => {
    assert.match(
      problems({
        ...REAL_TENANT,
        ESCALATION_GROUP_ID: GROUP,
        APPROVAL_ESCALATION_MINUTES: '5',
      }).join('\n'),
      /APPROVAL_ESCALATION_MINUTES \(5\) must be more than APPROVAL_REMINDER_MINUTES \(10\)/,
    );
    assert.match(
      problems({
        ...REAL_TENANT,
        ESCALATION_GROUP_ID: GROUP,
        APPROVAL_ESCALATION_MINUTES: '60',
      }).join('\n'),
      /must be more than 0 and less than APPROVAL_TIMEOUT_MINUTES \(60\)/,
    );
    assert.match(
      problems({ ...REAL_TENANT, APPROVAL_ESCALATION_MINUTES: '30' }).join('\n'),
      /ESCALATION_GROUP_ID is not/,
    );
    assert.match(
      problems({ ...REAL_TENANT, APPROVAL_REMINDER_MINUTES: '90' }).join('\n'),
      /APPROVAL_REMINDER_MINUTES \(90\) must be less than APPROVAL_TIMEOUT_MINUTES/,
    );
    assert.match(
      problems({ ...REAL_TENANT, APPROVAL_REMINDER_MINUTES: 'soon' }).join('\n'),
      /APPROVAL_REMINDER_MINUTES must be a number of minutes/,
    );
    assert.match(
      problems({ ...REAL_TENANT, ESCALATION_GROUP_ID: 'finance' }).join('\n'),
      /ESCALATION_GROUP_ID/,
    );
  });
});
