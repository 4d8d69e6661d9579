#include "vod/ircconnection.h"

#include "tmistandin.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

constexpr auto fast = std::chrono::milliseconds(100);

IrcConnection::Options options(const TmiStandin &tmi)
{
    IrcConnection::Options o;
    o.host = u"127.0.0.1"_s;
    o.port = tmi.port();
    o.tls = false;
    o.username = u"PitwallBot"_s;
    o.token = u"secret-token"_s;
    o.channel = u"alice"_s;
    o.reconnectInitialDelay = fast;
    o.reconnectMaxDelay = std::chrono::seconds(2);
    return o;
}

} // namespace

// The chat's IRC client against a Twitch-like server on loopback: login, keep-alive, and
// reconnects after drops, silent servers and refused logins.
class IrcConnectionTest final : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        m_tmi = std::make_unique<TmiStandin>("oauth:secret-token");
        QVERIFY(m_tmi->start());
    }
    void cleanup() { m_tmi.reset(); }

    void passCommandAddsThePrefixOnce()
    {
        QCOMPARE(IrcConnection::passCommand(u"abc"_s), QByteArray("PASS oauth:abc"));
        QCOMPARE(IrcConnection::passCommand(u"oauth:abc"_s), QByteArray("PASS oauth:abc"));
    }

    void logsInAndJoinsTheAssignedChannel()
    {
        IrcConnection irc(options(*m_tmi));
        QSignalSpy joined(&irc, &IrcConnection::joined);
        irc.open();
        QVERIFY(joined.wait(5000));
        QVERIFY(irc.isJoined());
        QCOMPARE(m_tmi->received(),
                 QList<QByteArray>({"PASS oauth:secret-token", "NICK pitwallbot",
                                    "USER pitwallbot 0 * :pitwallbot",
                                    "CAP REQ :twitch.tv/tags twitch.tv/commands twitch.tv/membership",
                                    "JOIN #alice"}));
        QCOMPARE(irc.reconnections(), 0);
    }

    void relaysMessagesAndAnswersPing()
    {
        IrcConnection irc(options(*m_tmi));
        QSignalSpy joined(&irc, &IrcConnection::joined);
        QSignalSpy messages(&irc, &IrcConnection::messageReceived);
        irc.open();
        QVERIFY(joined.wait(5000));
        m_tmi->sendToAll("PING :tmi.twitch.tv");
        m_tmi->privmsg("id=m1;color=#1E90FF", "viewer1", "alice", "hi there");
        QTRY_VERIFY(m_tmi->received().contains("PONG :tmi.twitch.tv"));
        QTRY_VERIFY(std::any_of(messages.cbegin(), messages.cend(), [](const QList<QVariant> &args) {
            const auto message = args.at(0).value<IrcMessage>();
            return message.command == u"PRIVMSG"_s && message.tag(u"id"_s) == u"m1"_s
                    && message.trailing() == u"hi there"_s;
        }));
    }

    void reconnectsWhenThePongDoesNotCome()
    {
        IrcConnection::Options o = options(*m_tmi);
        o.pingInterval = std::chrono::milliseconds(300);
        o.pongTimeout = std::chrono::milliseconds(300);
        IrcConnection irc(o);
        QSignalSpy joined(&irc, &IrcConnection::joined);
        QSignalSpy reconnected(&irc, &IrcConnection::reconnected);
        irc.open();
        QVERIFY(joined.wait(5000));
        // Answered pings keep the connection.
        QTRY_VERIFY(m_tmi->received().count("PING :pitwall") >= 2);
        QCOMPARE(m_tmi->connectionCount(), 1);
        m_tmi->setAnswersPing(false);
        QVERIFY(reconnected.wait(5000));
        QCOMPARE(reconnected.constLast().at(0).toInt(), 1);
        QCOMPARE(m_tmi->connectionCount(), 2);
        QTRY_VERIFY(irc.isJoined());
        // Logged in again from the start, and joined the same channel again.
        QCOMPARE(m_tmi->received().count("PASS oauth:secret-token"), 2);
        QCOMPARE(m_tmi->received().count("JOIN #alice"), 2);
    }

    void reconnectsAfterADrop()
    {
        IrcConnection irc(options(*m_tmi));
        QSignalSpy joined(&irc, &IrcConnection::joined);
        QSignalSpy disconnected(&irc, &IrcConnection::disconnected);
        irc.open();
        QVERIFY(joined.wait(5000));
        for (int drop = 1; drop <= 2; ++drop) {
            m_tmi->dropClients();
            QVERIFY(disconnected.wait(5000));
            QVERIFY(!irc.isJoined());
            QTRY_VERIFY(irc.isJoined());
            QCOMPARE(irc.reconnections(), drop);
        }
        QCOMPARE(m_tmi->connectionCount(), 3);
    }

    void refusedLoginIsRetriedWithBackoff()
    {
        m_tmi->setExpectedPass("oauth:another-token");
        IrcConnection irc(options(*m_tmi));
        QSignalSpy refused(&irc, &IrcConnection::loginFailed);
        QSignalSpy joined(&irc, &IrcConnection::joined);
        QList<qint64> attempts;
        QElapsedTimer clock;
        clock.start();
        connect(m_tmi.get(), &TmiStandin::lineReceived, this, [&](const QByteArray &line) {
            if (line.startsWith("PASS "))
                attempts.append(clock.elapsed());
        });
        irc.open();
        QTRY_VERIFY_WITH_TIMEOUT(attempts.size() >= 4, 10000);
        QCOMPARE(refused.constFirst().at(0).toString(), u"Login authentication failed"_s);
        // 100, 200, 400 ms (+ up to a fifth): each wait at least the one before, doubled.
        QVERIFY2(attempts.at(2) - attempts.at(1) >= 180, qPrintable(QString::number(attempts.at(2) - attempts.at(1))));
        QVERIFY2(attempts.at(3) - attempts.at(2) >= 360, qPrintable(QString::number(attempts.at(3) - attempts.at(2))));
        // The token is fixed: the next attempt logs in.
        m_tmi->setExpectedPass("oauth:secret-token");
        QVERIFY(joined.wait(10000));
        QVERIFY(irc.isOpen());
    }

    void closeStopsReconnecting()
    {
        IrcConnection irc(options(*m_tmi));
        QSignalSpy joined(&irc, &IrcConnection::joined);
        irc.open();
        QVERIFY(joined.wait(5000));
        irc.close();
        QTRY_COMPARE(m_tmi->loggedInClients(), 0);
        QTest::qWait(500);
        QCOMPARE(m_tmi->connectionCount(), 1);
        QVERIFY(m_tmi->received().contains("QUIT"));
    }

private:
    std::unique_ptr<TmiStandin> m_tmi;
};

QTEST_GUILESS_MAIN(IrcConnectionTest)
#include "ircconnection.moc"
