// A corpus of hostile input for /api/messages: command text, card action payloads and raw HTTP
// requests. Each case says what a safe bot does with it; hostile-inputs.test.ts sends them all
// through one running app and checks the invariants that hold for every case.

/** A request in a real sandbox user's name is fine; garbage must never create one. */
export type CommandOutcome = { kind: 'refused' } | { kind: 'request'; target: string };

export interface CommandCase {
  name: string;
  text: string;
  expect: CommandOutcome;
  /** A string that must appear on the request card exactly as written (not expanded). */
  literal?: string;
}

export interface InvokeCase {
  name: string;
  /** The activity's `value`, as an attacker would send it. `REQUEST_ID` is replaced. */
  value: unknown;
  /** The invoke's `name`; `adaptiveCard/action` unless said otherwise. */
  invokeName?: string;
}

export interface HttpCase {
  name: string;
  contentType?: string;
  body: string | Buffer;
}

export const REQUEST_ID = '«request id»';
const TARGET = 'alice.johnson@contoso.com';
const refused: CommandOutcome = { kind: 'refused' };
const requests = (target = TARGET): CommandOutcome => ({ kind: 'request', target });

const refuse = (name: string, text: string): CommandCase => ({ name, text, expect: refused });

/** A valid command whose reason carries the payload: the request is made, the text is inert. */
const reason = (name: string, payload: string, literal?: string): CommandCase => ({
  name: `reason: ${name}`,
  text: `user ${TARGET} ${payload}`,
  expect: requests(),
  ...(literal === undefined ? {} : { literal }),
});

/** The payload where the address goes: never a request. */
const address = (name: string, upn: string): CommandCase =>
  refuse(`address: ${name}`, `user ${upn} Credentials phished`);

const MARKUP_PAYLOADS: [string, string][] = [
  ['markdown link', '[Re-authenticate here](https://evil.example/login) now'],
  ['markdown image', '![x](https://evil.example/pixel.png) seen'],
  ['autolink', 'see <https://evil.example/a> now'],
  ['bold and italics', '**URGENT** _click_ ***now***'],
  ['heading', '# Approve immediately'],
  ['list start', '- approve\n- approve again'],
  ['numbered list', '1. approve 2. approve'],
  ['block quote', '> from the CISO: approve'],
  ['code fence', '```js\nalert(1)\n``` done'],
  ['html anchor', 'foo <a href="https://evil.example">click</a> bar'],
  ['html anchor entity-encoded', 'foo &lt;a href="https://evil.example"&gt;click&lt;/a&gt; bar'],
  ['reference link', '[click][1] then [1]: https://evil.example'],
  ['mailto link', '[mail](mailto:attacker@evil.example) us'],
  ['teams mention markup', '<at>Priya Patel</at> approve now'],
  ['nested brackets', '[[x](https://evil.example)](https://evil.example) ok'],
  ['javascript link', '[x](javascript:alert(1)) ok'],
  ['line separator', 'one\u2028# two\u2029- three'],
  ['escaped markdown', '\\[x\\](https://evil.example) ok'],
];

const TEMPLATE_PAYLOADS: [string, string][] = [
  ['adaptive card expression', '${requester.name} approved ${$root}'],
  ['function call', '${json(process.env)} leaked'],
  ['nested expression', '${if(true, "a", "b")} text'],
  ['handlebars', '{{constructor.constructor("return process")()}} text'],
  ['js template', '`${process.exit(1)}` text'],
  ['percent format', '%s %j %o %d text'],
];

const CONTROL_PAYLOADS: [string, string][] = [
  ['null bytes', 'phished\u0000\u0000 really'],
  ['bell and backspace', 'phished\u0007\u0008 again'],
  ['escape sequence', 'phished \u001b[31mred\u001b[0m'],
  ['C1 controls', 'phished \u0085\u009b text'],
  ['right-to-left override', 'phished \u202etxt.exe'],
  ['zero-width joiners', 'ph\u200bis\u200ch\u200ded'],
  ['byte order mark', '\ufeffphished badly'],
  ['emoji', '🔥🔥 phished 🎣'],
  ['emoji with skin tones and ZWJ', '👩🏽‍💻 phished 👨‍👩‍👧'],
  ['astral plane', '𝕡𝕙𝕚𝕤𝕙𝕖𝕕 𐍈'],
  ['combining marks', 'p̷h̷i̷s̷h̷e̷d̷ Z̸̡͓a̵l̶g̸o̶'],
  ['unpaired surrogate', 'phished \ud800 half'],
  ['carriage returns', 'phished\r\n\r\nApproved by CISO'],
  ['tabs', 'phished\t\t\tbadly'],
];

const INJECTION_PAYLOADS: [string, string][] = [
  ['LDAP filter', '*)(objectClass=*))(|(cn=*'],
  ['OData filter', "' or 1 eq 1 or userPrincipalName eq '"],
  ['SQL', "'); DROP TABLE requests; /*"],
  ['JSON breakout', '"}, "status": "approved", "x": {"'],
  ['prototype pollution', '__proto__ constructor prototype'],
  ['path traversal', '../../../../etc/passwd'],
  ['CRLF header injection', 'x\r\nSet-Cookie: a=b'],
  ['second user in reason', 'bob.smith@contoso.com also phished'],
];

const ADDRESS_PAYLOADS: [string, string][] = [
  ['Cyrillic a', '\u0430lice.johnson@contoso.com'],
  ['Greek omicron', 'alice.j\u03bfhnson@contoso.com'],
  ['Cyrillic o in domain', 'alice.johnson@c\u043entoso.com'],
  ['fullwidth letters', '\uff41lice.johnson@contoso.com'],
  ['dotless i', 'al\u0131ce.johnson@contoso.com'],
  ['Kelvin sign for k', 'bob.smith@\u212aontoso.com'],
  ['combining acute', 'alice\u0301.johnson@contoso.com'],
  ['fullwidth at sign', 'alice.johnson\uff20contoso.com'],
  ['small commercial at', 'alice.johnson\ufe6bcontoso.com'],
  ['punycode look-alike domain', 'alice.johnson@xn--cntoso-2ya.com'],
  ['trailing dot domain', 'alice.johnson@contoso.com.'],
  ['LDAP wildcard', '*@contoso.com'],
  ['LDAP wildcard suffix', 'alice*@contoso.com'],
  ['LDAP filter breakout', '*)(objectClass=*)@contoso.com'],
  ['LDAP escaped paren', 'alice\\29@contoso.com'],
  ['LDAP NUL escape', 'alice\\00@contoso.com'],
  ['DN injection', 'CN=Admin,CN=Users,DC=contoso,DC=com'],
  ['OData quote', "alice'@contoso.com"],
  ['OData or', "x'or'1'eq'1@contoso.com"],
  ['OData filter word', "alice@contoso.com')or(true"],
  ['URL path', 'alice/../../groups@contoso.com'],
  ['URL query', 'alice?$select=passwordProfile@contoso.com'],
  ['URL fragment', 'alice#x@contoso.com'],
  ['percent encoding', 'alice%27@contoso.com'],
  ['template', '${process.env}@contoso.com'],
  ['two addresses with a comma', 'alice.johnson@contoso.com,bob.smith@contoso.com'],
  ['two addresses with a semicolon', 'alice.johnson@contoso.com;bob.smith@contoso.com'],
  ['two at signs', 'alice@bob@contoso.com'],
  ['no local part', '@contoso.com'],
  ['no domain', 'alice.johnson@'],
  ['no at', 'alice.johnson'],
  ['IP domain', 'alice@[127.0.0.1]'],
  ['quoted local part', '"alice johnson"@contoso.com'],
  ['leading dot', '.alice@contoso.com'],
  ['double dot', 'alice..johnson@contoso.com'],
  ['65-char local part', `${'a'.repeat(65)}@contoso.com`],
  ['long domain label', `alice@${'d'.repeat(64)}.com`],
  ['emoji local part', '😀@contoso.com'],
  ['unicode domain', 'alice@kontoso\u00e9.com'],
  ['mailto with query', 'mailto:alice.johnson@contoso.com?subject=x'],
  ['javascript scheme', 'javascript:alert(1)//@contoso.com'],
  ['markdown link', '[alice.johnson@contoso.com](https://evil.example)'],
  ['protected break-glass account', 'breakglass01@contoso.onmicrosoft.com'],
  ['unknown user', 'nobody.here@contoso.com'],
  ['unknown domain', 'alice.johnson@fabrikam.example'],
  ['requester themself is fine, unknown twin', 'sam.rivera@contoso.co'],
];

const ODD_COMMANDS: CommandCase[] = [
  refuse('empty', ''),
  refuse('a space', ' '),
  refuse('only whitespace and line breaks', ' \t\r\n \u00a0 '),
  refuse('non-breaking spaces only', '\u00a0\u00a0\u2003'),
  refuse('only zero-width characters', '\u200b\u200c\u200d\ufeff'),
  refuse('only control characters', '\u0000\u0001\u0002\u001f'),
  refuse('only a null byte', '\u0000'),
  refuse('only emoji', '🔥'),
  refuse('help with a null byte', 'help\u0000'),
  refuse('unknown verb', 'revoke alice.johnson@contoso.com phished'),
  refuse('verb in Cyrillic', '\u0443ser alice.johnson@contoso.com phished'),
  refuse('verb with a zero-width space kept apart', 'us er alice.johnson@contoso.com phished'),
  refuse('user without address', 'user'),
  refuse('user without reason', `user ${TARGET}`),
  refuse('reason too short', `user ${TARGET} ab`),
  refuse('reason of zero-width characters', `user ${TARGET} \u200b\u200b\u200b\u200b`),
  refuse('reason of HTML only', `user ${TARGET} <img src=x onerror=alert(1)>`),
  refuse('reason too long', `user ${TARGET} ${'r'.repeat(501)}`),
  refuse('message too long', `user ${TARGET} ${'x'.repeat(2_000)}`),
  refuse('huge message', `user ${'a'.repeat(50_000)}@contoso.com reason`),
  refuse('huge single word', 'x'.repeat(100_000)),
  refuse('many words', 'user '.repeat(5_000)),
  refuse('status without id', 'status'),
  refuse('status with garbage id', 'status ../../etc'),
  refuse('status with two ids', 'status R-AAAAAAAA R-BBBBBBBB'),
  refuse('status with an injected id', "status R-AAAAAAAA' OR '1'='1"),
  refuse('status of an unknown id', 'status R-ZZZZZZZZ'),
  refuse('status with a long id', `status R-${'A'.repeat(500)}`),
  refuse('script tag', '<script>alert(1)</script>'),
  refuse('markdown link as the command', '[user](https://evil.example) alice phished'),
  refuse('template as the command', '${user} alice.johnson@contoso.com phished'),
  {
    // A line break is a space: the second line becomes the reason, and the card shows it.
    name: 'several users on several lines (only the first is asked for)',
    text: `user ${TARGET}\nuser bob.smith@contoso.com`,
    expect: requests(),
  },
  {
    name: 'two users, the second in the reason (only the first is asked for)',
    text: `user ${TARGET} bob.smith@contoso.com phished too`,
    expect: requests(),
  },
  {
    name: 'command wrapped in HTML as Teams sends it',
    text: `<p>user <a href="mailto:${TARGET}">${TARGET}</a> phished&nbsp;via invoice</p>`,
    expect: requests(),
  },
  {
    name: 'zero-width space inside the address (removed, the visible address is meant)',
    text: 'user alice.joh\u200bnson@contoso.com phished badly',
    expect: requests(),
  },
  {
    name: 'upper-case domain',
    text: 'user alice.johnson@CONTOSO.COM phished badly',
    expect: requests(),
  },
];

function build(): CommandCase[] {
  const cases: CommandCase[] = [...ODD_COMMANDS];
  for (const [name, payload] of MARKUP_PAYLOADS) cases.push(reason(name, payload));
  for (const [name, payload] of TEMPLATE_PAYLOADS) cases.push(reason(name, payload, payload));
  for (const [name, payload] of CONTROL_PAYLOADS) cases.push(reason(name, payload));
  for (const [name, payload] of INJECTION_PAYLOADS) cases.push(reason(name, payload));
  for (const [name, upn] of ADDRESS_PAYLOADS) cases.push(address(name, upn));
  // The same address payloads where a status request id goes, and as the verb.
  for (const [name, upn] of ADDRESS_PAYLOADS.slice(0, 20)) {
    cases.push(refuse(`status id: ${name}`, `status ${upn}`));
  }
  for (const [name, payload] of MARKUP_PAYLOADS.slice(0, 8)) {
    cases.push(refuse(`as the verb: ${name}`, `${payload} ${TARGET}`));
  }
  return cases;
}

export const COMMAND_CASES: readonly CommandCase[] = build();

const action = (verb: unknown, data: unknown) => ({
  action: { type: 'Action.Execute', verb, data },
});
const big = 'x'.repeat(5_000);

export const INVOKE_CASES: readonly InvokeCase[] = [
  { name: 'no value', value: undefined },
  { name: 'null value', value: null },
  { name: 'string value', value: 'approve' },
  { name: 'array value', value: [action('approve', { requestId: REQUEST_ID })] },
  { name: 'no action', value: { trigger: 'manual' } },
  { name: 'action is a string', value: { action: 'approve' } },
  { name: 'action is an array', value: { action: [] } },
  {
    name: 'no verb',
    value: { action: { type: 'Action.Execute', data: { requestId: REQUEST_ID } } },
  },
  { name: 'verb is a number', value: action(1, { requestId: REQUEST_ID }) },
  { name: 'verb is an array', value: action(['approve'], { requestId: REQUEST_ID }) },
  { name: 'verb is an object', value: action({ toString: 'approve' }, { requestId: REQUEST_ID }) },
  { name: 'unknown verb', value: action('approveAll', { requestId: REQUEST_ID }) },
  { name: 'verb in upper case', value: action('APPROVE', { requestId: REQUEST_ID }) },
  { name: 'verb with a space', value: action('approve ', { requestId: REQUEST_ID }) },
  { name: 'verb with a null byte', value: action('approve\u0000', { requestId: REQUEST_ID }) },
  { name: 'verb is huge', value: action(big, { requestId: REQUEST_ID }) },
  { name: 'verb __proto__', value: action('__proto__', { requestId: REQUEST_ID }) },
  { name: 'verb execute', value: action('execute', { requestId: REQUEST_ID }) },
  { name: 'no data', value: action('approve', undefined) },
  { name: 'data is null', value: action('approve', null) },
  { name: 'data is a string', value: action('approve', REQUEST_ID) },
  { name: 'data is an array', value: action('approve', [REQUEST_ID]) },
  { name: 'data is a number', value: action('approve', 42) },
  { name: 'requestId missing', value: action('approve', {}) },
  { name: 'requestId is a number', value: action('approve', { requestId: 1 }) },
  { name: 'requestId is an array', value: action('approve', { requestId: [REQUEST_ID] }) },
  { name: 'requestId is an object', value: action('approve', { requestId: { $ne: null } }) },
  { name: 'requestId is null', value: action('approve', { requestId: null }) },
  { name: 'requestId lower case', value: action('approve', { requestId: 'r-aaaaaaaa' }) },
  { name: 'requestId with SQL', value: action('approve', { requestId: "R-AAAAAAAA' OR 1=1--" }) },
  { name: 'requestId wildcard', value: action('approve', { requestId: 'R-%' }) },
  { name: 'requestId with a newline', value: action('approve', { requestId: `${REQUEST_ID}\n` }) },
  { name: 'requestId padded', value: action('approve', { requestId: ` ${REQUEST_ID}` }) },
  { name: 'requestId huge', value: action('approve', { requestId: big }) },
  { name: 'unknown well-formed requestId', value: action('approve', { requestId: 'R-AAAAAAAA' }) },
  { name: 'data oversized', value: action('approve', { requestId: REQUEST_ID, pad: big }) },
  {
    name: 'data deeply nested',
    value: action('approve', {
      requestId: REQUEST_ID,
      n: JSON.parse('['.repeat(1_500) + ']'.repeat(1_500)) as unknown,
    }),
  },
  {
    name: 'actAs is an admin name',
    value: action('approve', { requestId: REQUEST_ID, actAs: 'admin' }),
  },
  { name: 'actAs is a number', value: action('approve', { requestId: REQUEST_ID, actAs: 7 }) },
  {
    name: 'actAs with an injection',
    value: action('approve', { requestId: REQUEST_ID, actAs: "x' or '1'='1" }),
  },
  {
    name: 'actAs an unknown id',
    value: action('approve', {
      requestId: REQUEST_ID,
      actAs: '00000000-0000-4000-8000-000000000000',
    }),
  },
  {
    name: '__proto__ in data',
    value: JSON.parse(
      `{"action":{"type":"Action.Execute","verb":"approve","data":{"__proto__":{"requestId":"${REQUEST_ID}"}}}}`,
    ) as unknown,
  },
  {
    name: 'Action.Submit type',
    value: { action: { type: 'Action.Submit', verb: 'approve', data: {} } },
  },
  {
    name: 'unknown invoke name',
    value: action('approve', { requestId: REQUEST_ID }),
    invokeName: 'adaptiveCard/other',
  },
  {
    name: 'task/fetch invoke',
    value: { data: { requestId: REQUEST_ID } },
    invokeName: 'task/fetch',
  },
  {
    name: 'messaging extension query',
    value: { commandId: 'x' },
    invokeName: 'composeExtension/query',
  },
  { name: 'signin invoke', value: { state: 'x' }, invokeName: 'signin/verifyState' },
  {
    name: 'invoke without a name',
    value: action('approve', { requestId: REQUEST_ID }),
    invokeName: '',
  },
];

const json = 'application/json';
export const HTTP_CASES: readonly HttpCase[] = [
  { name: 'bad JSON', contentType: json, body: '{"type": "message", ' },
  { name: 'trailing garbage', contentType: json, body: '{"type":"message"} xyz' },
  { name: 'JSON with comments', contentType: json, body: '{/* x */"type":"message"}' },
  { name: 'empty body', contentType: json, body: '' },
  { name: 'whitespace body', contentType: json, body: '   \n ' },
  { name: 'null', contentType: json, body: 'null' },
  { name: 'a number', contentType: json, body: '42' },
  { name: 'a string', contentType: json, body: '"message"' },
  { name: 'an array', contentType: json, body: '[{"type":"message"}]' },
  { name: 'an empty object', contentType: json, body: '{}' },
  { name: 'non-activity JSON', contentType: json, body: '{"hello":"world"}' },
  { name: 'type is a number', contentType: json, body: '{"type":1,"text":"help"}' },
  { name: 'text/plain', contentType: 'text/plain', body: '{"type":"message","text":"help"}' },
  {
    name: 'form-encoded',
    contentType: 'application/x-www-form-urlencoded',
    body: 'type=message&text=help',
  },
  {
    name: 'multipart',
    contentType: 'multipart/form-data; boundary=x',
    body: '--x\r\n\r\nhi\r\n--x--',
  },
  { name: 'no content type', body: '{"type":"message","text":"help"}' },
  { name: 'XML', contentType: 'application/xml', body: '<activity type="message"/>' },
  {
    name: 'huge body',
    contentType: json,
    body: `{"type":"message","text":"${'x'.repeat(400_000)}"}`,
  },
  {
    name: 'invalid UTF-8',
    contentType: json,
    body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
  },
  {
    name: 'deeply nested JSON',
    contentType: json,
    body: `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
  },
  {
    name: '__proto__ at the top',
    contentType: json,
    body: '{"__proto__":{"type":"message"},"type":"message"}',
  },
];

/** Activity types Teams may send that carry no command. */
export const OTHER_ACTIVITY_TYPES: readonly string[] = [
  'conversationUpdate',
  'messageReaction',
  'messageUpdate',
  'messageDelete',
  'typing',
  'event',
  'installationUpdate',
  'endOfConversation',
  'contactRelationUpdate',
  'trace',
  'handoff',
  'suggestion',
  'bogus',
  'MESSAGE',
];
