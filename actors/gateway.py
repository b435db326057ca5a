"""What the API process uses to talk to the dialer actors."""

from collections.abc import Sequence


class DialerGateway:
    async def numbers_suppressed(self, numbers: Sequence[str]) -> None:
        """Takes newly suppressed E.164 numbers out of every active dial queue at once.

        Call it after the suppression rows are committed; it returns when every queue
        has dropped them.
        """
