/**
 * How the project reads a document from a peer it does not trust (an agent's card, a JWK Set a signature
 * names): a response body as UTF-8 text, read chunk by chunk and abandoned (the stream cancelled) as soon as it exceeds
 * `maxBytes`: a peer cannot make the reader buffer more than that, whatever it declares or streams. Undefined
 * when the body is too large; a body-less response reads as ''.
 */
export async function readBoundedText(response: Response, maxBytes: number): Promise<string | undefined> {
  if (Number(response.headers.get('content-length') ?? '0') > maxBytes) {
    await response.body?.cancel();
    return undefined;
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}
