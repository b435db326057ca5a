"""The bounce mailbox: a Maildir folder the MTA of the bounce address (or of the reply-to
address) delivers to. The pacers read it every few seconds; each mail read is moved to the
`.Processed` subfolder (kept, so nothing is lost), whatever it was."""

import mailbox
from pathlib import Path


class BounceMailbox:
    def __init__(self, folder: str | Path) -> None:
        self.box = mailbox.Maildir(folder, factory=None, create=True)

    def take(self, limit: int = 200) -> list[tuple[str, bytes]]:
        """Up to `limit` unread mails as (key, raw bytes)."""
        found = []
        for key in self.box.iterkeys():
            found.append((key, self.box.get_bytes(key)))
            if len(found) >= limit:
                break
        return found

    def done(self, keys: list[str]) -> None:
        """Moves these mails out of the inbox, into `.Processed`."""
        processed = self._processed()
        for key in keys:
            processed.add(self.box.get_bytes(key))
            self.box.remove(key)

    def _processed(self) -> mailbox.Maildir:
        if "Processed" not in self.box.list_folders():
            return self.box.add_folder("Processed")
        return self.box.get_folder("Processed")
