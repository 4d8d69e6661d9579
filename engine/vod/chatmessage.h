#pragma once

#include <QDateTime>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace Pitwall {

struct IrcMessage;

// One chat line as recorded, read from a PRIVMSG and its Twitch tags.
struct ChatMessage
{
    QString channel;     // login, without '#'
    QString messageId;   // `id` tag; empty on servers that send no tags
    QString userId;      // `user-id`
    QString username;    // login, from the prefix
    QString displayName; // `display-name`, else the login
    QString text;        // without the CTCP ACTION wrapper of /me
    QStringList badges;  // "name/version" in the tag's order
    QStringList emotes;  // names, each once, in order of first appearance
    QString color;       // "#1E90FF", or empty
    QDateTime sentAt;    // `tmi-sent-ts` (UTC); the receive time when the tag is missing
    QString replyToId;
    QString replyToUsername;
    QString replyToMessage;

    // nullopt for anything but a PRIVMSG to a channel.
    static std::optional<ChatMessage> fromPrivmsg(const IrcMessage &message,
                                                  const QDateTime &receivedAt);
    // Emote names from an `emotes` tag ("25:0-4,12-16/1902:6-10") over the text, whose ranges
    // count Unicode code points. Ranges outside the text are skipped.
    static QStringList emoteNames(const QString &emotesTag, const QString &text);

    friend bool operator==(const ChatMessage &, const ChatMessage &) = default;
};

} // namespace Pitwall

Q_DECLARE_METATYPE(Pitwall::ChatMessage)
