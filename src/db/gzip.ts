/** gzip through the Compression Streams API, present in pages, workers and service workers. */
async function transform(
  bytes: Uint8Array<ArrayBuffer>,
  stream: CompressionStream | DecompressionStream,
): Promise<Uint8Array<ArrayBuffer>> {
  const output = new Blob([bytes]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(output).arrayBuffer());
}

export const gzip = (bytes: Uint8Array<ArrayBuffer>) => transform(bytes, new CompressionStream('gzip'));
export const gunzip = (bytes: Uint8Array<ArrayBuffer>) => transform(bytes, new DecompressionStream('gzip'));
