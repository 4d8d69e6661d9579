#include "core/db/migrationrunner.h"

#include "daemonprocess.h"
#include "helixstandin.h"
#include "httpclient.h"
#include "mediaserver.h"
#include "testdatabase.h"
#include "tmistandin.h"
#include "vodrig.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QtTest>

#include <csignal>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

const QString clientId = u"client-1"_s;
const QString clientSecret = u"secret-1"_s;

// A broadcast start that many seconds ago, in whole seconds as Helix's started_at has them.
QDateTime liveSince(qint64 secondsAgo)
{
    return QDateTime::fromSecsSinceEpoch(QDateTime::currentSecsSinceEpoch() - secondsAgo, Qt::UTC);
}

// Sends a tagged PRIVMSG of #alice sent `offset` seconds into the broadcast.
void say(TmiStandin &tmi, const QByteArray &id, const QDateTime &startedAt, int offset)
{
    tmi.privmsg("id=" + id + ";color=#1E90FF;tmi-sent-ts="
                        + QByteArray::number(startedAt.addSecs(offset).toMSecsSinceEpoch()),
                "viewer1", "alice", "at " + QByteArray::number(offset));
}

// The daemon's chat JSON of a VOD id: rel_timestamp of each message, in order.
QList<double> chatOffsets(const DaemonProcess &daemon, const QString &vodId)
{
    QList<double> offsets;
    const QJsonArray rows = HttpClient::get(daemon.url(u"/vods/%1/chat"_s.arg(vodId))).json().array();
    for (const QJsonValue &row : rows)
        offsets << row.toObject().value(u"rel_timestamp"_s).toDouble();
    return offsets;
}

int logLines(DaemonProcess &daemon, const QByteArray &needle)
{
    return int(daemon.output().count(needle));
}

} // namespace

// Auto chat mode (CHAT_AUTO_START=1, research §1.7, scenarios 15-16) in a real daemon: the Helix
// stand-in reports #alice live, the TMI stand-in sends tagged chat, which the daemon records
// under the live session; the stream goes offline, its archive appears, and the chat moves to it
// exactly once, shifted by the archive's offset, while the archive is downloaded like any VOD and
// the placeholder never is.
class VodChatAutoTest final : public QObject
{
    Q_OBJECT

private slots:
    void liveChatIsReconciledOnce();
};

void VodChatAutoTest::liveChatIsReconciledOnce()
{
    TestDatabase testDb;
    PITWALL_REQUIRE_TEST_DATABASE(testDb);
    QString error;
    QVERIFY2(MigrationRunner().run(testDb.database().connection(), &error), qPrintable(error));
    const QDateTime startedAt = liveSince(3600);
    const QString placeholder = u"live-%1"_s.arg(startedAt.toSecsSinceEpoch());
    HelixStandin helix(clientId, clientSecret);
    QVERIFY(helix.start());
    helix.addUser(u"alice"_s, u"1001"_s);
    helix.setVideos(u"1001"_s, {});
    helix.setLive(u"alice"_s, startedAt, u"Race day"_s);
    TmiStandin tmi("oauth:chat-token");
    QVERIFY(tmi.start());
    MediaServer media;
    media.addFile(VodRig::mediaPath(u"v9"_s), MediaServer::content(64 * 1024, 9));
    QVERIFY(media.start());
    DaemonProcess daemon;
    QVERIFY(VodRig::start(daemon, VodRig::environment(
            testDb, media, {u"alice"_s},
            {{u"TWITCH_HELIX_URL"_s, helix.baseUrl().toString()},
             {u"TWITCH_AUTH_URL"_s, helix.baseUrl().toString()},
             {u"TWITCH_CLIENT_ID"_s, clientId},
             {u"TWITCH_CLIENT_SECRET"_s, clientSecret},
             {u"CHAT_AUTO_START"_s, u"1"_s},
             {u"CHAT_AUTO_POLL_INTERVAL"_s, u"1s"_s},
             {u"VOD_RECONCILE_DELAY"_s, u"1s"_s},
             {u"TWITCH_BOT_USERNAME"_s, u"pitwallbot"_s},
             {u"TWITCH_OAUTH_TOKEN"_s, u"chat-token"_s},
             {u"TWITCH_IRC_ADDR"_s, u"127.0.0.1:%1"_s.arg(tmi.port())},
             {u"TWITCH_IRC_TLS"_s, u"0"_s}})));

    // Live: the recorder joins and records under the placeholder, relative to started_at.
    QSignalSpy joined(&tmi, &TmiStandin::clientJoined);
    QTRY_VERIFY_WITH_TIMEOUT(!joined.isEmpty(), 15000);
    QCOMPARE(joined.first().first().toByteArray(), QByteArray("#alice"));
    for (const int offset : {70, 80, 90})
        say(tmi, "m" + QByteArray::number(offset), startedAt, offset);
    say(tmi, "m70", startedAt, 70); // Twitch's id again: stored once
    QTRY_COMPARE_WITH_TIMEOUT(chatOffsets(daemon, placeholder), QList<double>({70.0, 80.0, 90.0}),
                              10000);
    QCOMPARE(VodRig::scalar(testDb, u"SELECT COUNT(*) FROM live_sessions WHERE placeholder_id = ? "
                            "AND channel = 'alice' AND ended_at IS NULL"_s, {placeholder}),
             u"1"_s);
    QCOMPARE(VodRig::scalar(testDb, u"SELECT COUNT(*) FROM vods"_s), u"0"_s);
    const QList<std::pair<QString, QString>> alice{{u"channel"_s, u"alice"_s}};
    QTRY_COMPARE(VodRig::metric(VodRig::metrics(daemon), u"chat_messages_recorded_total"_s, alice),
                 std::optional<double>(3.0));

    // Offline; its archive was created 60 s after the broadcast started.
    helix.setVideos(u"1001"_s, {{u"v9"_s, u"Race day (archive)"_s, u"1h2m3s"_s,
                                 startedAt.addSecs(60)}});
    helix.setOffline(u"alice"_s);
    QTRY_COMPARE_WITH_TIMEOUT(chatOffsets(daemon, u"v9"_s), QList<double>({10.0, 20.0, 30.0}),
                              20000);
    QVERIFY(chatOffsets(daemon, placeholder).isEmpty());
    QCOMPARE(VodRig::scalar(testDb, u"SELECT COUNT(*) FROM chat_messages WHERE vod_id = 'v9' "
                            "AND channel = 'alice' AND username = 'viewer1' "
                            "AND color = '#1E90FF'"_s),
             u"3"_s);
    QCOMPARE(VodRig::scalar(testDb, u"SELECT COUNT(*) FROM chat_messages"_s), u"3"_s);
    QCOMPARE(VodRig::scalar(testDb, u"SELECT reconciled_vod_id FROM live_sessions WHERE placeholder_id = ? "
                            "AND ended_at IS NOT NULL"_s, {placeholder}),
             u"v9"_s);
    QCOMPARE(VodRig::scalar(testDb, u"SELECT title || '/' || duration_seconds || '/' || channel FROM vods "
                            "WHERE twitch_vod_id = 'v9'"_s),
             u"Race day (archive)/3723/alice"_s);

    // The archive is an ordinary VOD of the queue; the placeholder never was one.
    QTRY_COMPARE_WITH_TIMEOUT(VodRig::row(testDb, u"v9"_s).state, VodState::DoneNoUpload, 30000);
    QCOMPARE(VodRig::scalar(testDb, u"SELECT COUNT(*) FROM vods WHERE twitch_vod_id LIKE 'live-%'"_s),
             u"0"_s);
    for (const MediaRequest &request : media.requests())
        QVERIFY2(!request.path.contains(u"live-"_s), qPrintable(request.path));
    QCOMPARE(chatOffsets(daemon, u"v9"_s), QList<double>({10.0, 20.0, 30.0}));

    // Exactly one reconciliation, however many offline polls followed (more than three).
    const int streamPolls = helix.count(HelixStandin::streamsPath);
    QTRY_VERIFY_WITH_TIMEOUT(helix.count(HelixStandin::streamsPath) >= streamPolls + 3, 10000);
    QCOMPARE(logLines(daemon, "reconciled " + placeholder.toUtf8() + " of #alice with VOD v9"), 1);
    QCOMPARE(logLines(daemon, "reconciling " + placeholder.toUtf8() + " of #alice in"), 1);
    QCOMPARE(logLines(daemon, "giving up reconciling"), 0);

    // The next broadcast is recorded again, under its own session.
    const QDateTime nextStart = liveSince(30);
    const QString next = u"live-%1"_s.arg(nextStart.toSecsSinceEpoch());
    helix.setLive(u"alice"_s, nextStart, u"Race day 2"_s);
    QTRY_COMPARE_WITH_TIMEOUT(joined.size(), 2, 15000);
    say(tmi, "n5", nextStart, 5);
    QTRY_COMPARE_WITH_TIMEOUT(chatOffsets(daemon, next), QList<double>({5.0}), 10000);
    QCOMPARE(chatOffsets(daemon, u"v9"_s).size(), 3);
    QVERIFY2(daemon.stop(SIGTERM) == 0, daemon.output().right(4000).constData());
}

QTEST_GUILESS_MAIN(VodChatAutoTest)
#include "vodchatauto.moc"
