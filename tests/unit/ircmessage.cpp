#include "vod/ircmessage.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Pitwall;

// The IRC line parser against lines as Twitch and RFC servers send them.
class IrcMessageTest final : public QObject
{
    Q_OBJECT

private slots:
    void twitchPrivmsg()
    {
        const auto message = IrcMessage::parse(
                "@badge-info=;badges=subscriber/12,moderator/1;color=#1E90FF;display-name=Viewer1;"
                "emotes=25:0-4;id=b34ccfc7-4977-403a-8a94-33c6bac34fb8;tmi-sent-ts=1507246572675 "
                ":viewer1!viewer1@viewer1.tmi.twitch.tv PRIVMSG #alice :Kappa hello there\r\n");
        QVERIFY(message);
        QCOMPARE(message->command, u"PRIVMSG"_s);
        QCOMPARE(message->prefix, u"viewer1!viewer1@viewer1.tmi.twitch.tv"_s);
        QCOMPARE(message->nick(), u"viewer1"_s);
        QCOMPARE(message->params, QStringList({u"#alice"_s, u"Kappa hello there"_s}));
        QCOMPARE(message->tag(u"badges"_s), u"subscriber/12,moderator/1"_s);
        QCOMPARE(message->tag(u"color"_s), u"#1E90FF"_s);
        QCOMPARE(message->tag(u"tmi-sent-ts"_s), u"1507246572675"_s);
        QVERIFY(message->hasTag(u"badge-info"_s));
        QCOMPARE(message->tag(u"badge-info"_s), QString());
        QCOMPARE(message->tags.size(), 7);
    }

    void tagEscapes_data()
    {
        QTest::addColumn<QString>("escaped");
        QTest::addColumn<QString>("value");
        QTest::newRow("space") << u"a\\sb"_s << u"a b"_s;
        QTest::newRow("semicolon") << u"a\\:b"_s << u"a;b"_s;
        QTest::newRow("backslash") << u"a\\\\b"_s << u"a\\b"_s;
        QTest::newRow("cr lf") << u"a\\r\\nb"_s << u"a\r\nb"_s;
        QTest::newRow("other escaped character stands for itself") << u"a\\bc"_s << u"abc"_s;
        QTest::newRow("lone trailing backslash dropped") << u"ab\\"_s << u"ab"_s;
        QTest::newRow("reply body") << u"hello\\sthere\\:\\sfriend"_s << u"hello there; friend"_s;
    }

    void tagEscapes()
    {
        QFETCH(QString, escaped);
        QFETCH(QString, value);
        QCOMPARE(IrcMessage::unescapeTagValue(escaped), value);
        QCOMPARE(IrcMessage::unescapeTagValue(IrcMessage::escapeTagValue(value)), value);
        const auto message = IrcMessage::parse("@k=" + escaped.toUtf8() + " PING");
        QVERIFY(message);
        QCOMPARE(message->tag(u"k"_s), value);
    }

    void shapes_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("prefix");
        QTest::addColumn<QString>("command");
        QTest::addColumn<QStringList>("params");
        QTest::newRow("ping") << QByteArray("PING :tmi.twitch.tv") << QString() << u"PING"_s
                              << QStringList{u"tmi.twitch.tv"_s};
        QTest::newRow("numeric") << QByteArray(":irc.pitwall.test 001 bot :Welcome to IRC")
                                 << u"irc.pitwall.test"_s << u"001"_s
                                 << QStringList{u"bot"_s, u"Welcome to IRC"_s};
        QTest::newRow("cap nak") << QByteArray(":srv CAP bot NAK :twitch.tv/tags twitch.tv/commands")
                                 << u"srv"_s << u"CAP"_s
                                 << QStringList{u"bot"_s, u"NAK"_s,
                                                u"twitch.tv/tags twitch.tv/commands"_s};
        QTest::newRow("no trailing") << QByteArray(":a!b@c JOIN #alice") << u"a!b@c"_s
                                     << u"JOIN"_s << QStringList{u"#alice"_s};
        QTest::newRow("lower-case command") << QByteArray("privmsg #a :x") << QString()
                                            << u"PRIVMSG"_s << QStringList{u"#a"_s, u"x"_s};
        QTest::newRow("empty trailing") << QByteArray("PRIVMSG #a :") << QString() << u"PRIVMSG"_s
                                        << QStringList{u"#a"_s, QString()};
        QTest::newRow("colon inside trailing") << QByteArray("NOTICE * :a :b") << QString()
                                               << u"NOTICE"_s << QStringList{u"*"_s, u"a :b"_s};
        QTest::newRow("extra spaces") << QByteArray("  PRIVMSG   #a   b  ") << QString()
                                      << u"PRIVMSG"_s << QStringList{u"#a"_s, u"b"_s};
        QTest::newRow("ends at a bare CR") << QByteArray("PRIVMSG #a b \r :rest") << QString()
                                           << u"PRIVMSG"_s << QStringList{u"#a"_s, u"b"_s};
        QTest::newRow("utf-8") << QByteArray("PRIVMSG #a :gr\xc3\xbc\xc3\x9f dich") << QString()
                               << u"PRIVMSG"_s << QStringList{u"#a"_s, u"grüß dich"_s};
    }

    void shapes()
    {
        QFETCH(QByteArray, line);
        QFETCH(QString, prefix);
        QFETCH(QString, command);
        QFETCH(QStringList, params);
        const auto message = IrcMessage::parse(line);
        QVERIFY(message);
        QCOMPARE(message->prefix, prefix);
        QCOMPARE(message->command, command);
        QCOMPARE(message->params, params);
        QCOMPARE(IrcMessage::parse(message->serialize()), message);
    }

    void refused_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("line end only") << QByteArray("\r\n");
        QTest::newRow("tags only") << QByteArray("@id=1");
        QTest::newRow("prefix only") << QByteArray(":nick!user@host");
        QTest::newRow("tags and prefix") << QByteArray("@id=1 :nick!user@host ");
        QTest::newRow("two-digit numeric") << QByteArray("01 bot :x");
        QTest::newRow("symbols") << QByteArray("PRIV#MSG #a :x");
    }

    void refused()
    {
        QFETCH(QByteArray, line);
        QVERIFY(!IrcMessage::parse(line));
    }

    void serializeRoundTrip()
    {
        IrcMessage message;
        message.tags = {{u"reply-parent-msg-body"_s, u"a; b\\c d"_s}, {u"flag"_s, QString()}};
        message.prefix = u"viewer1!viewer1@host"_s;
        message.command = u"PRIVMSG"_s;
        message.params = {u"#alice"_s, u":starts with a colon"_s};
        const QByteArray line = message.serialize();
        QCOMPARE(line, QByteArray("@flag;reply-parent-msg-body=a\\:\\sb\\\\c\\sd "
                                  ":viewer1!viewer1@host PRIVMSG #alice ::starts with a colon"));
        QCOMPARE(IrcMessage::parse(line), message);
    }
};

QTEST_APPLESS_MAIN(IrcMessageTest)
#include "ircmessage.moc"
