/** A command line that cannot be run as given, or an input that cannot be read at all: exit 2 with its message. */
export class UsageError extends Error {}
