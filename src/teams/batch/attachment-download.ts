// Fetches the CSV a person attached to `users …`. Teams sends the file as
// `application/vnd.microsoft.teams.file.download.info` with a short-lived, pre-authenticated
// `downloadUrl`. The URL and the file are untrusted: only Teams' file hosts (see
// attachment-hosts.ts; the local Playground in sandbox mode), no redirects (they could point
// anywhere), a size cap and a timeout, so a huge or slow file cannot tie the bot up. The caller
// downloads only after the requester is known to be allowed to ask.
import { attachmentUrlProblem, type AttachmentHosts } from './attachment-hosts';

export const FILE_DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';

export interface DownloadLimits {
  maxBytes: number;
  timeoutMs: number;
  /** Where files may come from: Teams' file hosts, or (sandbox mode) the local Playground only. */
  hosts: AttachmentHosts;
}

export const DEFAULT_DOWNLOAD_LIMITS: DownloadLimits = {
  maxBytes: 256 * 1024,
  timeoutMs: 10_000,
  hosts: 'teams',
};

/** A file that could not be fetched; the message is safe to show (it never repeats the URL). */
export class AttachmentError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AttachmentError';
  }
}

export interface FileAttachment {
  name: string;
  downloadUrl: string;
}

/** The file attachments of an activity; anything else attached is ignored. */
export function fileAttachments(attachments: unknown): FileAttachment[] {
  if (!Array.isArray(attachments)) return [];
  const files: FileAttachment[] = [];
  for (const item of attachments as unknown[]) {
    if (typeof item !== 'object' || item === null) continue;
    const { contentType, content, name } = item as Record<string, unknown>;
    if (contentType !== FILE_DOWNLOAD_INFO || typeof content !== 'object' || content === null)
      continue;
    const url = (content as Record<string, unknown>)['downloadUrl'];
    if (typeof url !== 'string') continue;
    files.push({ name: typeof name === 'string' ? name.slice(0, 200) : 'file', downloadUrl: url });
  }
  return files;
}

export async function downloadText(url: string, limits: DownloadLimits): Promise<string> {
  const parsed = checkedUrl(url, limits);
  let response: Response;
  try {
    response = await fetch(parsed, {
      redirect: 'error',
      signal: AbortSignal.timeout(limits.timeoutMs),
    });
  } catch (error) {
    throw new AttachmentError(
      'The attached file could not be downloaded (timeout or network error).',
      { cause: error },
    );
  }
  if (!response.ok) {
    throw new AttachmentError(
      `The attached file could not be downloaded (HTTP ${response.status}).`,
    );
  }
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > limits.maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(limits);
  }
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limits.maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge(limits);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof AttachmentError) throw error;
    throw new AttachmentError(
      'The attached file could not be read to the end (timeout or network error).',
      { cause: error },
    );
  }
  return new TextDecoder('utf-8').decode(Buffer.concat(chunks));
}

function checkedUrl(url: string, limits: DownloadLimits): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new AttachmentError('The attached file has no valid download address.', { cause: error });
  }
  const problem = attachmentUrlProblem(parsed, limits.hosts);
  if (problem) throw new AttachmentError(problem);
  return parsed;
}

function tooLarge(limits: DownloadLimits): AttachmentError {
  return new AttachmentError(
    `The attached file is larger than ${Math.round(limits.maxBytes / 1024)} KiB; attach at most 1,000 addresses.`,
  );
}
