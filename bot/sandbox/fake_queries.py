"""Read-only queries over what the fake Slack recorded, for test assertions and the sandbox page."""

from __future__ import annotations

from bot.sandbox.models import ApiCall, Channel, Ephemeral, Message, User, View


class RecordQueries:
    bot_user_id: str
    users: dict[str, User]
    channels: dict[str, Channel]
    messages: list[Message]
    ephemerals: list[Ephemeral]
    views: dict[str, View]
    modal_stacks: dict[str, list[str]]
    calls: list[ApiCall]

    def _channel_id(self, channel_or_user: str) -> str | None:
        """A channel id, name (``#ops-web``) or user id (their DM with the bot) as a channel id."""
        if channel_or_user in self.users:
            for channel in self.channels.values():
                if channel.is_im and channel.user == channel_or_user:
                    return channel.id
            return None
        name = channel_or_user.removeprefix("#")
        for channel in self.channels.values():
            if channel.id == channel_or_user or (channel.name == name and not channel.is_im):
                return channel.id
        return channel_or_user

    def messages_in(self, channel_or_user_id: str) -> list[Message]:
        """Messages in a channel; a user id means the DM between the bot and that user."""
        channel = self._channel_id(channel_or_user_id)
        return [message for message in self.messages if message.channel == channel]

    def last_message(self, channel_or_user_id: str) -> Message | None:
        messages = self.messages_in(channel_or_user_id)
        return messages[-1] if messages else None

    def find_message(
        self, text_contains: str | None = None, channel: str | None = None
    ) -> Message | None:
        """The newest message whose text or block text contains ``text_contains``."""
        candidates = self.messages_in(channel) if channel else self.messages
        for message in reversed(candidates):
            if text_contains is None or text_contains in message.all_text:
                return message
        return None

    def dms_to(self, user_id: str) -> list[Message]:
        """What the bot wrote in its DM with ``user_id``."""
        return [m for m in self.messages_in(user_id) if m.user == self.bot_user_id]

    def ephemerals_for(self, user_id: str) -> list[Ephemeral]:
        return [ephemeral for ephemeral in self.ephemerals if ephemeral.user == user_id]

    def modal_stack(self, user_id: str) -> list[View]:
        return [self.views[view_id] for view_id in self.modal_stacks.get(user_id, [])]

    def open_modal(self, user_id: str) -> View | None:
        """The top view of the user's open modal stack, or None when no modal is open."""
        stack = self.modal_stack(user_id)
        return stack[-1] if stack else None

    def calls_to(self, method: str) -> list[ApiCall]:
        return [call for call in self.calls if call.method == method]
