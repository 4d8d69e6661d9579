#include "watch/processfilter.h"

#include <QTest>

#include <pwd.h>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using Pitwall::FilterDecision;
using Pitwall::ProcessFilter;
using Pitwall::ProcessInfo;
using Pitwall::WatchConfig;
using Verdict = Pitwall::FilterDecision::Verdict;

namespace {

const QDateTime Now = QDateTime(QDate(2026, 1, 7), QTime(10, 30), Qt::UTC);
constexpr uint UnknownUid = 3999999; // no passwd entry on any sane machine

ProcessInfo process(const QString &cwd = u"/srv/jobs/1"_s,
                    const QString &exe = u"/usr/bin/ffmpeg"_s, uint uid = 0, int ppid = 1,
                    std::chrono::seconds age = 1h)
{
    ProcessInfo info;
    info.pid = 4242;
    info.startTimeTicks = 777;
    info.ppid = ppid;
    info.uid = uid;
    info.exePath = exe;
    info.command = exe.mid(exe.lastIndexOf(u'/') + 1);
    info.cwd = cwd;
    info.startedAt = Now.addSecs(-age.count());
    return info;
}

uint nobodyUid()
{
    const passwd *entry = ::getpwnam("nobody");
    if (!entry)
        qFatal("the test needs the user nobody");
    return entry->pw_uid;
}

QByteArray describe(const FilterDecision &decision)
{
    return (u"verdict %1: %2"_s.arg(int(decision.verdict)).arg(decision.reason)).toUtf8();
}

} // namespace

// The verdict, and a part of the reason (an empty part matches any reason).
#define EXPECT(decision, expected, reasonPart)                                                  \
    do {                                                                                         \
        const FilterDecision d_ = (decision);                                                    \
        QVERIFY2(d_.verdict == (expected) && d_.reason.contains(reasonPart),                     \
                 describe(d_).constData());                                                      \
    } while (false)

class ProcessFilterTest final : public QObject
{
    Q_OBJECT

private:
    static FilterDecision decide(const WatchConfig &config, const ProcessInfo &info)
    {
        return ProcessFilter(config).decide(info, Now);
    }

private slots:
    void noFiltersAcceptsEverything()
    {
        const FilterDecision decision = decide(WatchConfig(), process(QString(), u"/x/ffmpeg"_s,
                                                                      UnknownUid, 99, 0s));
        QCOMPARE(decision.verdict, Verdict::Accept);
        QVERIFY(decision.reason.isEmpty());
    }

    void blockedDirsArePathComponentPrefixes()
    {
        WatchConfig config;
        config.filters.blockedDirs = {u"/tmp"_s};
        EXPECT(decide(config, process(u"/tmp"_s)), Verdict::Reject,
               u"filters.blocked_dirs: cwd /tmp is under /tmp"_s);
        EXPECT(decide(config, process(u"/tmp/job/1"_s)), Verdict::Reject,
               u"cwd /tmp/job/1 is under /tmp"_s);
        EXPECT(decide(config, process(u"/tmpx"_s)), Verdict::Accept, QString());
        EXPECT(decide(config, process(u"/var/tmp"_s)), Verdict::Accept, QString());
        // The executable's directory counts as well.
        EXPECT(decide(config, process(u"/srv"_s, u"/tmp/build/ffmpeg"_s)), Verdict::Reject,
               u"executable directory /tmp/build is under /tmp"_s);
        EXPECT(decide(config, process(u"/srv"_s, u"/tmpx/ffmpeg"_s)), Verdict::Accept, QString());

        config.filters.blockedDirs = {u"/"_s};
        EXPECT(decide(config, process(u"/srv"_s)), Verdict::Reject, u"is under /"_s);
    }

    void allowedDirsNeedCwdOrExecutableDirectory()
    {
        WatchConfig config;
        config.filters.allowedDirs = {u"/srv/jobs"_s};
        EXPECT(decide(config, process(u"/srv/jobs"_s)), Verdict::Accept, QString());
        EXPECT(decide(config, process(u"/srv/jobs/7/out"_s)), Verdict::Accept, QString());
        EXPECT(decide(config, process(u"/home/alice"_s, u"/srv/jobs/bin/ffmpeg"_s)),
               Verdict::Accept, QString());
        EXPECT(decide(config, process(u"/srv/jobsx"_s)), Verdict::Reject,
               u"filters.allowed_dirs: neither cwd /srv/jobsx nor executable directory "
               "/usr/bin is under an allowed dir"_s);
    }

    void unreadableCwdFailsOpenForBlockAndClosedForAllow()
    {
        WatchConfig blocked;
        blocked.filters.blockedDirs = {u"/tmp"_s};
        EXPECT(decide(blocked, process(QString())), Verdict::Accept,
               u"filters.blocked_dirs: cwd unreadable, checked the executable directory only"_s);
        EXPECT(decide(blocked, process(QString(), u"/tmp/ffmpeg"_s)), Verdict::Reject,
               u"executable directory /tmp is under /tmp"_s);

        WatchConfig allowed;
        allowed.filters.allowedDirs = {u"/srv/jobs"_s};
        EXPECT(decide(allowed, process(QString())), Verdict::Reject,
               u"neither cwd (unreadable) nor executable directory /usr/bin"_s);
        EXPECT(decide(allowed, process(QString(), u"/srv/jobs/ffmpeg"_s)), Verdict::Accept,
               QString());
    }

    void usersByNameUidsByNumber()
    {
        const uint nobody = nobodyUid();
        WatchConfig config;
        config.filters.allowedUsers = {u"root"_s};
        EXPECT(decide(config, process({}, u"/usr/bin/ffmpeg"_s, 0)), Verdict::Accept, QString());
        EXPECT(decide(config, process({}, u"/usr/bin/ffmpeg"_s, nobody)), Verdict::Reject,
               u"filters.allowed_users: user nobody is not listed"_s);
        EXPECT(decide(config, process({}, u"/usr/bin/ffmpeg"_s, UnknownUid)), Verdict::Reject,
               u"filters.allowed_users: uid 3999999 has no user name"_s);

        config = WatchConfig();
        config.filters.blockedUsers = {u"nobody"_s};
        EXPECT(decide(config, process({}, u"/usr/bin/ffmpeg"_s, nobody)), Verdict::Reject,
               u"filters.blocked_users: user nobody is blocked"_s);
        EXPECT(decide(config, process({}, u"/usr/bin/ffmpeg"_s, 0)), Verdict::Accept, QString());
        EXPECT(decide(config, process({}, u"/usr/bin/ffmpeg"_s, UnknownUid)), Verdict::Accept,
               u"uid 3999999 has no user name, not blocked"_s);

        config = WatchConfig();
        config.filters.allowedUids = {nobody};
        EXPECT(decide(config, process({}, u"/usr/bin/ffmpeg"_s, nobody)), Verdict::Accept,
               QString());
        EXPECT(decide(config, process({}, u"/usr/bin/ffmpeg"_s, 0)), Verdict::Reject,
               u"filters.allowed_uids: uid 0 is not listed"_s);
        config.filters.allowedUids.clear();
        config.filters.blockedUids = {0};
        EXPECT(decide(config, process({}, u"/usr/bin/ffmpeg"_s, 0)), Verdict::Reject,
               u"filters.blocked_uids: uid 0 is blocked"_s);
        EXPECT(decide(config, process({}, u"/usr/bin/ffmpeg"_s, nobody)), Verdict::Accept,
               QString());
    }

    void parentsAreTheDirectPpid()
    {
        WatchConfig config;
        config.filters.allowedParents = {1, 500};
        EXPECT(decide(config, process({}, u"/usr/bin/ffmpeg"_s, 0, 500)), Verdict::Accept,
               QString());
        EXPECT(decide(config, process({}, u"/usr/bin/ffmpeg"_s, 0, 501)), Verdict::Reject,
               u"filters.allowed_parents: parent 501 is not listed"_s);
        config.filters.allowedParents.clear();
        config.filters.blockedParents = {501};
        EXPECT(decide(config, process({}, u"/usr/bin/ffmpeg"_s, 0, 501)), Verdict::Reject,
               u"filters.blocked_parents: parent 501 is blocked"_s);
        EXPECT(decide(config, process({}, u"/usr/bin/ffmpeg"_s, 0, 1)), Verdict::Accept,
               QString());
    }

    void minRuntimeDefersUntilOldEnough()
    {
        WatchConfig config;
        config.filters.minRuntime = 5s;
        const ProcessInfo young = process({}, u"/usr/bin/ffmpeg"_s, 0, 1, 2s);
        const FilterDecision decision = decide(config, young);
        QCOMPARE(decision.verdict, Verdict::Defer);
        QCOMPARE(decision.until, young.startedAt.addSecs(5));
        QCOMPARE(decision.until, Now.addSecs(3));
        QCOMPARE(decision.reason, u"filters.min_runtime: running for 2s, needs 5s"_s);
        // Asked again at `until`, the same process passes.
        QCOMPARE(ProcessFilter(config).decide(young, decision.until).verdict, Verdict::Accept);
        EXPECT(decide(config, process({}, u"/usr/bin/ffmpeg"_s, 0, 1, 5s)), Verdict::Accept,
               QString());

        // The larger of global and per-command min_runtime wins, and is named.
        config.commands[u"ffmpeg"_s].filters.minRuntime = 10s;
        const FilterDecision longer = decide(config, young);
        QCOMPARE(longer.verdict, Verdict::Defer);
        QCOMPARE(longer.until, young.startedAt.addSecs(10));
        QCOMPARE(longer.reason,
                 u"commands.ffmpeg.filters.min_runtime: running for 2s, needs 10s"_s);
        const ProcessInfo gst = process({}, u"/usr/bin/gst-launch-1.0"_s, 0, 1, 2s);
        QCOMPARE(decide(config, gst).until, gst.startedAt.addSecs(5));
    }

    void maxRuntimeRejectsOlderProcesses()
    {
        WatchConfig config;
        config.filters.maxRuntime = 1h;
        EXPECT(decide(config, process({}, u"/usr/bin/ffmpeg"_s, 0, 1, 1h)), Verdict::Accept,
               QString());
        EXPECT(decide(config, process({}, u"/usr/bin/ffmpeg"_s, 0, 1, 1h + 1s)), Verdict::Reject,
               u"filters.max_runtime: running for 3601s, longer than 1h"_s);
    }

    void rejectionBeatsDeferral()
    {
        WatchConfig config;
        config.filters.minRuntime = 1min;
        config.filters.blockedDirs = {u"/tmp"_s};
        EXPECT(decide(config, process(u"/tmp"_s, u"/usr/bin/ffmpeg"_s, 0, 1, 1s)),
               Verdict::Reject, u"blocked_dirs"_s);
    }

    void globalAndPerCommandFiltersBothApply()
    {
        const uint nobody = nobodyUid();
        WatchConfig config;
        config.filters.allowedUsers = {u"root"_s, u"nobody"_s};
        config.commands[u"ffmpeg"_s].filters.allowedUsers = {u"nobody"_s};
        config.commands[u"ffmpeg"_s].filters.blockedDirs = {u"/srv/private"_s};

        EXPECT(decide(config, process({}, u"/usr/bin/ffmpeg"_s, 0)), Verdict::Reject,
               u"commands.ffmpeg.filters.allowed_users: user root is not listed"_s);
        EXPECT(decide(config, process({}, u"/usr/bin/ffmpeg"_s, nobody)), Verdict::Accept,
               QString());
        EXPECT(decide(config, process(u"/srv/private/x"_s, u"/usr/bin/ffmpeg"_s, nobody)),
               Verdict::Reject, u"commands.ffmpeg.filters.blocked_dirs: cwd /srv/private/x"_s);
        // The per-command filters do not touch other commands.
        EXPECT(decide(config, process({}, u"/usr/bin/gst-launch-1.0"_s, 0)), Verdict::Accept,
               QString());
        EXPECT(decide(config, process(u"/srv/private"_s, u"/usr/bin/gst-launch-1.0"_s, 0)),
               Verdict::Accept, QString());
        // A uid the global list refuses is refused whatever the command allows.
        config.filters.allowedUsers = {u"root"_s};
        EXPECT(decide(config, process({}, u"/usr/bin/ffmpeg"_s, nobody)), Verdict::Reject,
               u"filters.allowed_users: user nobody is not listed"_s);
    }

    void userNameCacheResolvesThroughNss()
    {
        Pitwall::UserNameCache cache;
        QCOMPARE(cache.nameOf(0), std::optional<QString>(u"root"_s));
        QCOMPARE(cache.nameOf(nobodyUid()), std::optional<QString>(u"nobody"_s));
        QCOMPARE(cache.nameOf(UnknownUid), std::nullopt);
        QCOMPARE(Pitwall::UserNameCache::lookup(0), std::optional<QString>(u"root"_s));
    }
};

QTEST_APPLESS_MAIN(ProcessFilterTest)
#include "processfilter.moc"
