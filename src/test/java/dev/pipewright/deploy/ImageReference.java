package dev.pipewright.deploy;

/**
 * A container image reference, {@code [registry/]name[:tag][@digest]}. Pinned means a digest, or a tag other than
 * {@code latest}: an image that can silently change is not pinned.
 */
record ImageReference(String name, String tag, String digest) {
    static ImageReference parse(String reference) {
        String digest = null;
        String rest = reference;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
        }
        // A colon after the last slash starts the tag; one before it belongs to a registry's port.
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            return new ImageReference(rest.substring(0, colon), rest.substring(colon + 1), digest);
        }
        return new ImageReference(rest, null, digest);
    }

    boolean pinned() {
        boolean byDigest = digest != null && digest.matches("sha256:[0-9a-f]{64}");
        boolean byTag = tag != null && !tag.isBlank() && !tag.equals("latest");
        return byDigest || byTag;
    }

    @Override
    public String toString() {
        return name + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }
}
