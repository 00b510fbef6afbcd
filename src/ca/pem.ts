// PEM text in and out: bundles split into their certificate blocks, DER wrapped back into PEM.
const certificateBlock = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** Each `CERTIFICATE` block of a PEM bundle, in order; other blocks and text around them are ignored. */
export function certificateBlocks(text: string): string[] {
  return (text.match(certificateBlock) ?? []).map((b) => `${b}\n`);
}

/** DER bytes as one PEM block, 64 columns, ending in a newline (clients concatenate chain elements as they come). */
export function toPem(label: string, der: ArrayBuffer | Uint8Array): string {
  const b64 = Buffer.from(der instanceof Uint8Array ? der : new Uint8Array(der)).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** The message of a thrown value. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
