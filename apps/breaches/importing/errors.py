class ImportRejected(Exception):
    """A file-level refusal (empty, binary, too big, no usable column…): nothing was stored.

    `message` never quotes the file's content and is what DatasetImport.error keeps. `detail` may quote the
    header row (masked where it looks like data), to help the officer at the terminal; it is shown, never
    stored, because a file without a header row has someone's data in its first line.
    """

    def __init__(self, message, detail=None):
        super().__init__(message)
        self.message = message
        self.detail = detail

    def __str__(self) -> str:
        return f"{self.message} {self.detail}" if self.detail else str(self.message)
