// Parses a container image reference the way the distribution reference grammar (used by
// containerd and Docker) reads it: [registry[:port]/]path[:tag][@digest].

export interface ImageReference {
  /** Everything before the tag and digest: registry, port and path. */
  name: string;
  tag?: string;
  /** `algorithm:hex`, e.g. `sha256:…`. */
  digest?: string;
}

const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

/** The parsed reference, or a reason it is not a valid one. */
export function parseImageReference(image: string): ImageReference | { invalid: string } {
  if (image.trim() !== image || image === '') return { invalid: 'it is empty or has surrounding spaces' };
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return { invalid: `"@${digest}" is not a digest (algorithm:hex)` };
  }
  // A colon after the last slash starts the tag; a colon before it belongs to a registry port.
  const colon = rest.lastIndexOf(':');
  let tag: string | undefined;
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return { invalid: `":${tag}" is not a valid tag` };
  }
  if (rest === '' || rest.endsWith('/') || /\s/.test(rest)) return { invalid: 'it has no repository name' };
  return { name: rest, tag, digest };
}
