// Image references the way Istio's charts build them.

export interface ImageParts {
  hub: string;
  /** A bare name (ztunnel) or, when it holds a slash, a complete reference used as is. */
  image: string;
  tag: string;
  /** distroless or debug; appended to the tag. */
  variant?: string | undefined;
}

/** `<hub>/<image>:<tag>[-<variant>]`, or `image` itself when it is already a complete reference. */
export function imageReference(parts: ImageParts): string {
  if (parts.image.includes('/')) return parts.image;
  const variant = parts.variant ? `-${parts.variant}` : '';
  return `${parts.hub}/${parts.image}:${parts.tag}${variant}`;
}
