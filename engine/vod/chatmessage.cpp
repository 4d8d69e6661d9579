#include "vod/chatmessage.h"

#include "vod/ircmessage.h"

#include <QList>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

// "\x01ACTION waves\x01" (/me waves): Twitch counts emote positions in the inner text.
QString withoutAction(const QString &text)
{
    const QString open = u"\x01" "ACTION "_s;
    if (text.startsWith(open) && text.endsWith(u'\x01') && text.size() > open.size())
        return text.sliced(open.size(), text.size() - open.size() - 1);
    return text;
}

QDateTime sentTime(const IrcMessage &message, const QDateTime &receivedAt)
{
    bool ok = false;
    const qint64 millis = message.tag(u"tmi-sent-ts"_s).toLongLong(&ok);
    return ok && millis > 0 ? QDateTime::fromMSecsSinceEpoch(millis, Qt::UTC)
                            : receivedAt.toUTC();
}

} // namespace

std::optional<ChatMessage> ChatMessage::fromPrivmsg(const IrcMessage &message,
                                                    const QDateTime &receivedAt)
{
    if (message.command != u"PRIVMSG"_s || message.params.size() < 2
        || !message.params.constFirst().startsWith(u'#')) {
        return std::nullopt;
    }
    ChatMessage chat;
    chat.channel = message.params.constFirst().sliced(1).toLower();
    chat.messageId = message.tag(u"id"_s);
    chat.userId = message.tag(u"user-id"_s);
    chat.username = message.nick().toLower();
    chat.displayName = message.tag(u"display-name"_s);
    if (chat.displayName.isEmpty())
        chat.displayName = message.nick();
    chat.text = withoutAction(message.trailing());
    const QString badges = message.tag(u"badges"_s);
    if (!badges.isEmpty())
        chat.badges = badges.split(u',', Qt::SkipEmptyParts);
    chat.emotes = emoteNames(message.tag(u"emotes"_s), chat.text);
    chat.color = message.tag(u"color"_s);
    chat.sentAt = sentTime(message, receivedAt);
    chat.replyToId = message.tag(u"reply-parent-msg-id"_s);
    chat.replyToUsername = message.tag(u"reply-parent-user-login"_s);
    chat.replyToMessage = message.tag(u"reply-parent-msg-body"_s);
    return chat;
}

QStringList ChatMessage::emoteNames(const QString &emotesTag, const QString &text)
{
    struct Occurrence
    {
        qsizetype start;
        QString name;
    };
    const QList<uint> codePoints = text.toUcs4();
    QList<Occurrence> found;
    for (const QString &emote : emotesTag.split(u'/', Qt::SkipEmptyParts)) {
        const qsizetype colon = emote.indexOf(u':');
        if (colon < 0)
            continue;
        for (const QString &range : emote.sliced(colon + 1).split(u',', Qt::SkipEmptyParts)) {
            const qsizetype dash = range.indexOf(u'-');
            bool startOk = false;
            bool endOk = false;
            const qsizetype start = range.first(std::max<qsizetype>(dash, 0)).toLongLong(&startOk);
            const qsizetype end = range.sliced(dash + 1).toLongLong(&endOk);
            if (dash < 0 || !startOk || !endOk || start < 0 || end < start
                || end >= codePoints.size()) {
                continue;
            }
            const QList<uint> slice = codePoints.sliced(start, end - start + 1);
            found.append({start, QString::fromUcs4(reinterpret_cast<const char32_t *>(
                                                           slice.constData()),
                                                   slice.size())});
        }
    }
    std::sort(found.begin(), found.end(),
              [](const Occurrence &a, const Occurrence &b) { return a.start < b.start; });
    QStringList names;
    for (const Occurrence &occurrence : std::as_const(found)) {
        if (!names.contains(occurrence.name))
            names.append(occurrence.name);
    }
    return names;
}

} // namespace Pitwall
