#include "vod/chatmessage.h"
#include "vod/ircmessage.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

const QDateTime receivedAt = QDateTime(QDate(2024, 5, 1), QTime(12, 0, 30), Qt::UTC);

ChatMessage chat(const QByteArray &line)
{
    const std::optional<IrcMessage> irc = IrcMessage::parse(line);
    const std::optional<ChatMessage> message =
            irc ? ChatMessage::fromPrivmsg(*irc, receivedAt) : std::nullopt;
    return message.value_or(ChatMessage{});
}

} // namespace

// A PRIVMSG and its Twitch tags as a recorded chat message.
class ChatMessageTest final : public QObject
{
    Q_OBJECT

private slots:
    void twitchTags()
    {
        const ChatMessage m = chat(
                "@badge-info=subscriber/12;badges=subscriber/12,moderator/1;color=#1E90FF;"
                "display-name=Viewer_One;emotes=25:0-4;id=msg-1;tmi-sent-ts=1714564800123;"
                "user-id=4242;reply-parent-msg-id=msg-0;reply-parent-user-login=alice;"
                "reply-parent-msg-body=first\\sof\\sall :viewer1!viewer1@viewer1.tmi.twitch.tv "
                "PRIVMSG #Alice :Kappa hello");
        QCOMPARE(m.channel, u"alice"_s);
        QCOMPARE(m.username, u"viewer1"_s);
        QCOMPARE(m.displayName, u"Viewer_One"_s);
        QCOMPARE(m.userId, u"4242"_s);
        QCOMPARE(m.messageId, u"msg-1"_s);
        QCOMPARE(m.text, u"Kappa hello"_s);
        QCOMPARE(m.badges, QStringList({u"subscriber/12"_s, u"moderator/1"_s}));
        QCOMPARE(m.emotes, QStringList{u"Kappa"_s});
        QCOMPARE(m.color, u"#1E90FF"_s);
        QCOMPARE(m.sentAt, QDateTime::fromMSecsSinceEpoch(1714564800123, Qt::UTC));
        QCOMPARE(m.replyToId, u"msg-0"_s);
        QCOMPARE(m.replyToUsername, u"alice"_s);
        QCOMPARE(m.replyToMessage, u"first of all"_s);
    }

    void plainIrcUsesReceiveTime()
    {
        const ChatMessage m = chat(":viewer1!~viewer1@127.0.0.1 PRIVMSG #alice :hello there");
        QCOMPARE(m.username, u"viewer1"_s);
        QCOMPARE(m.displayName, u"viewer1"_s);
        QCOMPARE(m.sentAt, receivedAt);
        QVERIFY(m.messageId.isEmpty());
        QVERIFY(m.badges.isEmpty());
        QVERIFY(m.emotes.isEmpty());
    }

    void action()
    {
        const ChatMessage m = chat("@emotes=25:6-10 :v!v@v PRIVMSG #a :\x01" "ACTION waves Kappa\x01");
        QCOMPARE(m.text, u"waves Kappa"_s);
        QCOMPARE(m.emotes, QStringList{u"Kappa"_s});
    }

    void notChannelMessages_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::newRow("notice") << QByteArray(":tmi.twitch.tv NOTICE #a :hi");
        QTest::newRow("whisper target") << QByteArray(":v!v@v PRIVMSG bot :hi");
        QTest::newRow("no text") << QByteArray(":v!v@v PRIVMSG #a");
    }

    void notChannelMessages()
    {
        QFETCH(QByteArray, line);
        const std::optional<IrcMessage> irc = IrcMessage::parse(line);
        QVERIFY(irc);
        QVERIFY(!ChatMessage::fromPrivmsg(*irc, receivedAt));
    }

    void emoteNames_data()
    {
        QTest::addColumn<QString>("tag");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("names");
        QTest::newRow("none") << QString() << u"hello"_s << QStringList();
        QTest::newRow("one") << u"25:0-4"_s << u"Kappa"_s << QStringList{u"Kappa"_s};
        QTest::newRow("repeated once, by position")
                << u"1902:6-10/25:0-4,12-16"_s << u"Kappa Keepo Kappa"_s
                << QStringList{u"Kappa"_s, u"Keepo"_s};
        // Twitch counts code points: the emoji before it is one position, two UTF-16 units.
        QTest::newRow("after an emoji") << u"25:2-6"_s << u"😀 Kappa"_s << QStringList{u"Kappa"_s};
        QTest::newRow("out of range skipped") << u"25:0-4,10-14"_s << u"Kappa"_s
                                              << QStringList{u"Kappa"_s};
        QTest::newRow("garbage skipped") << u"25:x-4,3-1,-/:/25"_s << u"Kappa"_s << QStringList();
    }

    void emoteNames()
    {
        QFETCH(QString, tag);
        QFETCH(QString, text);
        QFETCH(QStringList, names);
        QCOMPARE(ChatMessage::emoteNames(tag, text), names);
    }
};

QTEST_APPLESS_MAIN(ChatMessageTest)
#include "chatmessage.moc"
