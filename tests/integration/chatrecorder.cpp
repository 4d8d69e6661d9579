#include "core/db/migrationrunner.h"
#include "vod/chatchannel.h"
#include "vod/chatsettings.h"
#include "vod/helixclient.h"
#include "vod/livesessiontracker.h"

#include "helixstandin.h"
#include "ngircdserver.h"
#include "testdatabase.h"
#include "tmistandin.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTcpSocket>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

const QString token = u"test-token"_s;

// A plain IRC client for the viewer's side: logs in, joins #alice, says things.
class IrcViewer final
{
public:
    bool join(quint16 port, const QByteArray &nick)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        m_socket.write("PASS oauth:" + token.toUtf8() + "\r\nNICK " + nick + "\r\nUSER " + nick
                       + " 0 * :" + nick + "\r\nJOIN #alice\r\n");
        return QTest::qWaitFor([this] {
            m_received += m_socket.readAll();
            return m_received.contains(" 366 "); // end of the channel's names: joined
        }, 5000);
    }
    // The time the line left, which is when the server relays it to the recorder.
    QDateTime say(const QByteArray &text)
    {
        m_socket.write("PRIVMSG #alice :" + text + "\r\n");
        m_socket.flush();
        return QDateTime::currentDateTimeUtc();
    }

private:
    QTcpSocket m_socket;
    QByteArray m_received;
};

// A broadcast start that many seconds ago, in whole seconds as Helix's started_at has them.
QDateTime liveSince(qint64 secondsAgo)
{
    return QDateTime::fromSecsSinceEpoch(QDateTime::currentSecsSinceEpoch() - secondsAgo, Qt::UTC);
}

struct ChatRow
{
    QString vodId;
    QString username;
    QString message;
    double rel = 0;
    QDateTime abs;
    QString badges;
    QString emotes;
    QString color;
    QString replyToId;
    QString replyToUsername;
    QString replyToMessage;
};

} // namespace

// Chat recording end to end on the real table: a real ngircd that is killed and restarted under
// the recorder, Twitch's tags from a TMI stand-in, live sessions from the Helix stand-in and
// their reconciliation with the archived VOD (research §9 scenarios 15 and 16).
class ChatRecorderTest final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void liveSessionSurvivesServerRestart();
    void twitchTagsAndDuplicates();
    void reconciliationMovesChatOnce();

private:
    void startHelix(const QDateTime &liveSince);
    QList<ChatRow> rows(const QString &where = u"1 = 1"_s);
    // The first column of the first row as text, or "<error ...>".
    QString scalar(const QString &sql);

    std::unique_ptr<TestDatabase> m_testDb;
    ChatSettings m_settings;
    std::unique_ptr<HelixStandin> m_helixStandin;
    std::unique_ptr<HelixClient> m_helix;
};

void ChatRecorderTest::init()
{
    m_testDb = std::make_unique<TestDatabase>();
    PITWALL_REQUIRE_TEST_DATABASE(*m_testDb);
    QString error;
    QVERIFY2(MigrationRunner().run(m_testDb->database().connection(), &error), qPrintable(error));
    m_settings = ChatSettings{};
    m_settings.ircHost = u"127.0.0.1"_s;
    m_settings.ircTls = false;
    m_settings.botUsername = u"pitwallbot"_s;
    m_settings.oauthToken = token;
    m_settings.flushInterval = std::chrono::milliseconds(200);
    m_settings.reconnectInitialDelay = std::chrono::milliseconds(250);
    m_settings.reconnectMaxDelay = std::chrono::seconds(2);
    m_settings.autoPollInterval = std::chrono::milliseconds(300);
    m_settings.reconcileDelay = std::chrono::seconds(1);
    m_settings.reconcileRetry = std::chrono::milliseconds(300);
    m_settings.reconcileWindow = std::chrono::seconds(20);
}

void ChatRecorderTest::cleanup()
{
    m_helix.reset();
    m_helixStandin.reset();
    m_testDb.reset();
}

void ChatRecorderTest::startHelix(const QDateTime &liveSince)
{
    m_helixStandin = std::make_unique<HelixStandin>(u"client-1"_s, u"secret-1"_s);
    QVERIFY(m_helixStandin->start());
    m_helixStandin->addUser(u"alice"_s, u"1001"_s);
    m_helixStandin->setLive(u"alice"_s, liveSince, u"Race day"_s);
    HelixSettings helix;
    helix.helixUrl = m_helixStandin->baseUrl();
    helix.authUrl = m_helixStandin->baseUrl();
    helix.clientId = u"client-1"_s;
    helix.clientSecret = u"secret-1"_s;
    m_helix = std::make_unique<HelixClient>(helix);
    m_settings.autoStart = true;
}

QString ChatRecorderTest::scalar(const QString &sql)
{
    QSqlQuery query(m_testDb->database().connection());
    if (!query.exec(sql) || !query.next())
        return u"<error %1: %2>"_s.arg(sql, query.lastError().text());
    return query.value(0).toString();
}

QList<ChatRow> ChatRecorderTest::rows(const QString &where)
{
    QSqlQuery query(m_testDb->database().connection());
    QList<ChatRow> result;
    if (!query.exec(u"SELECT vod_id, username, message, rel_timestamp, abs_timestamp, badges, "
                    "emotes, color, reply_to_id, reply_to_username, reply_to_message "
                    "FROM chat_messages WHERE %1 ORDER BY rel_timestamp, id"_s.arg(where))) {
        qWarning().noquote() << query.lastError().text();
        return result;
    }
    while (query.next()) {
        const QVariant abs = query.value(4);
        result.append({query.value(0).toString(), query.value(1).toString(),
                       query.value(2).toString(), query.value(3).toDouble(),
                       abs.typeId() == QMetaType::QDateTime
                               ? abs.toDateTime().toUTC()
                               : QDateTime::fromString(abs.toString(), Qt::ISODateWithMs),
                       query.value(5).toString(), query.value(6).toString(),
                       query.value(7).toString(), query.value(8).toString(),
                       query.value(9).toString(), query.value(10).toString()});
    }
    return result;
}

// Scenario 15: auto mode on a real ngircd; the server is killed and restarted between the
// viewer's messages. ngircd refuses (NAKs) Twitch's capabilities, which must not matter.
void ChatRecorderTest::liveSessionSurvivesServerRestart()
{
    if (!NgircdServer::isInstalled())
        QSKIP("ngircd is not installed");
    NgircdServer ngircd(u"oauth:"_s + token, {u"#alice"_s});
    QVERIFY2(ngircd.start(), ngircd.output().constData());
    m_settings.ircPort = ngircd.port();
    const QDateTime startedAt = liveSince(120);
    startHelix(startedAt);
    const QString placeholder = u"live-%1"_s.arg(startedAt.toSecsSinceEpoch());

    ChatChannel chat(m_testDb->database(), m_settings, u"alice"_s, m_helix.get());
    QSignalSpy joined(&chat.connection(), &IrcConnection::joined);
    QSignalSpy reconnected(&chat, &ChatChannel::reconnected);
    QVERIFY(chat.start());
    QVERIFY(joined.wait(10000));
    QCOMPARE(chat.tracker()->session()->placeholderId, placeholder);

    QList<QDateTime> sent;
    {
        IrcViewer viewer;
        QVERIFY(viewer.join(ngircd.port(), "viewer1"));
        for (const QByteArray text : {"one", "two", "three"})
            sent.append(viewer.say(text));
        QTRY_COMPARE(rows().size(), 3);
        ngircd.kill();
    }
    QTRY_VERIFY(!chat.connection().isJoined());
    QVERIFY2(ngircd.start(), ngircd.output().constData());
    QElapsedTimer sinceRestart;
    sinceRestart.start();
    QVERIFY(joined.wait(10000));
    QVERIFY2(sinceRestart.elapsed() < 10000, qPrintable(QString::number(sinceRestart.elapsed())));
    QCOMPARE(reconnected.size(), 1);
    QCOMPARE(reconnected.constFirst(), QVariantList({u"alice"_s, 1}));

    IrcViewer viewer;
    QVERIFY(viewer.join(ngircd.port(), "viewer1"));
    for (const QByteArray text : {"four", "five"})
        sent.append(viewer.say(text));
    QTRY_COMPARE(rows().size(), 5);
    QTest::qWait(500); // nothing more arrives: no duplicates
    const QList<ChatRow> stored = rows();
    QCOMPARE(stored.size(), 5);
    const QStringList texts{u"one"_s, u"two"_s, u"three"_s, u"four"_s, u"five"_s};
    for (int i = 0; i < stored.size(); ++i) {
        QCOMPARE(stored.at(i).vodId, placeholder);
        QCOMPARE(stored.at(i).username, u"viewer1"_s);
        QCOMPARE(stored.at(i).message, texts.at(i));
        const double expected = double(startedAt.msecsTo(sent.at(i))) / 1000.0;
        QVERIFY2(qAbs(stored.at(i).rel - expected) <= 1.0,
                 qPrintable(u"rel %1, sent at %2"_s.arg(stored.at(i).rel).arg(expected)));
    }
    // The live session is kept apart: nothing entered the download queue.
    QCOMPARE(scalar(u"SELECT COUNT(*) FROM vods"_s), u"0"_s);
    QCOMPARE(scalar(u"SELECT COUNT(*) FROM live_sessions WHERE placeholder_id = '%1' "
                    "AND ended_at IS NULL"_s.arg(placeholder)), u"1"_s);
}

// Twitch's tags (research §9 scenario 15, second part), in manual mode under TWITCH_VOD_ID.
void ChatRecorderTest::twitchTagsAndDuplicates()
{
    TmiStandin tmi("oauth:" + token.toUtf8());
    QVERIFY(tmi.start());
    m_settings.ircPort = tmi.port();
    const QDateTime vodStart = QDateTime(QDate(2024, 5, 1), QTime(12, 0), Qt::UTC);
    m_settings.manualVodId = u"v100"_s;
    m_settings.manualVodStart = vodStart;
    ChatChannel chat(m_testDb->database(), m_settings, u"alice"_s, nullptr);
    QSignalSpy joined(&chat.connection(), &IrcConnection::joined);
    QSignalSpy recorded(&chat, &ChatChannel::messagesRecorded);
    QVERIFY(chat.start());
    QVERIFY(joined.wait(5000));
    QVERIFY(tmi.received().contains("JOIN #alice"));

    const qint64 sentMs = vodStart.toMSecsSinceEpoch() + 42500;
    const QByteArray tags = "badge-info=subscriber/12;badges=subscriber/12,moderator/1;"
                            "color=#1E90FF;display-name=Viewer1;emotes=25:0-4;user-id=4242;"
                            "tmi-sent-ts=" + QByteArray::number(sentMs);
    tmi.privmsg(tags + ";id=msg-1", "viewer1", "alice", "Kappa hello");
    tmi.privmsg(tags + ";id=msg-1", "viewer1", "alice", "Kappa hello"); // same id, same batch
    tmi.privmsg("id=msg-2;tmi-sent-ts=" + QByteArray::number(sentMs + 1000)
                        + ";reply-parent-msg-id=msg-1;reply-parent-user-login=viewer1;"
                          "reply-parent-msg-body=Kappa\\shello",
                "bob", "alice", "@viewer1 hi");
    tmi.privmsg("id=other-channel", "bob", "bob", "not ours");
    QTRY_COMPARE(rows().size(), 2);
    tmi.privmsg(tags + ";id=msg-1", "viewer1", "alice", "Kappa hello"); // again, a later batch
    QTest::qWait(600);

    const QList<ChatRow> stored = rows();
    QCOMPARE(stored.size(), 2);
    const ChatRow &first = stored.at(0);
    QCOMPARE(first.vodId, u"v100"_s);
    QCOMPARE(first.badges, u"subscriber/12,moderator/1"_s);
    QCOMPARE(first.color, u"#1E90FF"_s);
    QCOMPARE(first.emotes, u"Kappa"_s);
    QCOMPARE(first.abs, QDateTime::fromMSecsSinceEpoch(sentMs, Qt::UTC));
    QCOMPARE(first.rel, 42.5);
    const ChatRow &reply = stored.at(1);
    QCOMPARE(reply.rel, 43.5);
    QCOMPARE(reply.replyToId, u"msg-1"_s);
    QCOMPARE(reply.replyToUsername, u"viewer1"_s);
    QCOMPARE(reply.replyToMessage, u"Kappa hello"_s);
    QCOMPARE(scalar(u"SELECT display_name || '/' || user_id FROM chat_messages "
                    "WHERE message_id = 'msg-1'"_s), u"Viewer1/4242"_s);
    int counted = 0;
    for (const QList<QVariant> &args : std::as_const(recorded))
        counted += args.at(1).toInt();
    QCOMPARE(counted, 2);
}

// Scenario 16: the broadcast ends, its archive appears, and the chat moves there exactly once.
void ChatRecorderTest::reconciliationMovesChatOnce()
{
    TmiStandin tmi("oauth:" + token.toUtf8());
    QVERIFY(tmi.start());
    m_settings.ircPort = tmi.port();
    const QDateTime startedAt = liveSince(3600);
    startHelix(startedAt);
    const QString placeholder = u"live-%1"_s.arg(startedAt.toSecsSinceEpoch());
    ChatChannel chat(m_testDb->database(), m_settings, u"alice"_s, m_helix.get());
    QSignalSpy joined(&chat.connection(), &IrcConnection::joined);
    QVERIFY(chat.start());
    QVERIFY(joined.wait(5000));
    for (const int offset : {70, 80, 90}) {
        tmi.privmsg("id=m" + QByteArray::number(offset) + ";tmi-sent-ts="
                            + QByteArray::number(startedAt.addSecs(offset).toMSecsSinceEpoch()),
                    "viewer1", "alice", "at " + QByteArray::number(offset));
    }
    QTRY_COMPARE(rows().size(), 3);
    QCOMPARE(rows().constFirst().vodId, placeholder);

    // Offline; the archive (created 60 s after the stream) is not listed at the first try.
    QSignalSpy finished(chat.tracker(), &LiveSessionTracker::reconciliationFinished);
    QSignalSpy stopped(chat.tracker(), &LiveSessionTracker::recordingStopped);
    m_helixStandin->setVideos(u"1001"_s, {});
    m_helixStandin->setOffline(u"alice"_s);
    QVERIFY(stopped.wait(5000));
    QTRY_VERIFY(!chat.connection().isOpen());
    QTRY_VERIFY_WITH_TIMEOUT(m_helixStandin->count(QString::fromLatin1(HelixStandin::videosPath)) >= 1,
                             5000);
    m_helixStandin->setVideos(
            u"1001"_s,
            {{u"v9"_s, u"Race day"_s, u"1h2m3s"_s, startedAt.addSecs(60)},
             {u"v8"_s, u"Yesterday"_s, u"3h0m0s"_s, startedAt.addDays(-1)}});
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.constFirst().at(1).toString(), u"v9"_s);

    const QList<ChatRow> moved = rows();
    QCOMPARE(moved.size(), 3);
    QList<double> rels;
    for (const ChatRow &row : moved) {
        QCOMPARE(row.vodId, u"v9"_s);
        rels.append(row.rel);
    }
    QCOMPARE(rels, QList<double>({10.0, 20.0, 30.0})); // exactly 60 s lower
    QCOMPARE(scalar(u"SELECT title || '/' || duration_seconds || '/' || channel FROM vods "
                    "WHERE twitch_vod_id = 'v9'"_s), u"Race day/3723/alice"_s);
    QCOMPARE(scalar(u"SELECT COUNT(*) FROM vods"_s), u"1"_s);
    QCOMPARE(scalar(u"SELECT reconciled_vod_id FROM live_sessions WHERE placeholder_id = '%1'"_s
                            .arg(placeholder)), u"v9"_s);

    // More offline polls start nothing more.
    const int videoRequests = m_helixStandin->count(QString::fromLatin1(HelixStandin::videosPath));
    QTest::qWait(1500);
    QCOMPARE(finished.size(), 1);
    QCOMPARE(chat.tracker()->reconciliationsRunning(), 0);
    QCOMPARE(m_helixStandin->count(QString::fromLatin1(HelixStandin::videosPath)), videoRequests);

    // The next broadcast is recorded again, under its own session.
    const QDateTime nextStart = startedAt.addSecs(3000);
    m_helixStandin->setLive(u"alice"_s, nextStart, u"Race day 2"_s);
    QVERIFY(joined.wait(5000));
    tmi.privmsg("id=n1;tmi-sent-ts=" + QByteArray::number(nextStart.addSecs(5).toMSecsSinceEpoch()),
                "viewer1", "alice", "again");
    const QString next = u"vod_id = 'live-%1'"_s.arg(nextStart.toSecsSinceEpoch());
    QTRY_COMPARE(rows(next).size(), 1);
    QCOMPARE(rows(next).constFirst().rel, 5.0);
    QCOMPARE(scalar(u"SELECT COUNT(*) FROM vods WHERE twitch_vod_id LIKE 'live-%'"_s), u"0"_s);
}

QTEST_GUILESS_MAIN(ChatRecorderTest)
#include "chatrecorder.moc"
