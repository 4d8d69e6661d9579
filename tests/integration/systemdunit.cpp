// installer/pitwall.service as systemd itself reads it (systemd-analyze works offline, without
// systemd as PID 1), plus the start/stop settings its security review does not cover.

#include "toolrun.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class SystemdUnitTest final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_work;
    QString m_source;       // the unit as written
    QString m_unitForHost;  // the same, runnable here
    QString m_analyze;      // systemd-analyze, empty if not installed

    static constexpr const char *noAnalyze =
        "systemd-analyze is not installed (installer/install-deps.sh --test installs systemd)";

private slots:
    void initTestCase()
    {
        QVERIFY(m_work.isValid());
        QFile unit(QStringLiteral(PITWALL_SOURCE_DIR) + u"/installer/pitwall.service"_s);
        QVERIFY2(unit.open(QIODevice::ReadOnly), qPrintable(unit.fileName()));
        m_source = QString::fromUtf8(unit.readAll());

        // systemd-analyze checks that ExecStart names an executable, and /usr/bin/pitwall exists
        // only once the package is installed. The one change: this build's binary instead.
        const QString execStart = u"\nExecStart=/usr/bin/pitwall "_s;
        QVERIFY2(m_source.count(execStart) == 1, "the unit must start /usr/bin/pitwall once");
        QString forHost = m_source;
        forHost.replace(execStart, u"\nExecStart="_s + QStringLiteral(PITWALL_BINARY) + u' ');
        m_unitForHost = m_work.filePath(u"pitwall.service"_s);
        QFile copy(m_unitForHost);
        QVERIFY(copy.open(QIODevice::WriteOnly) && copy.write(forHost.toUtf8()) > 0);
        copy.close();

        m_analyze = QStandardPaths::findExecutable(u"systemd-analyze"_s);
    }

    // Unknown keys and invalid values are only warnings for systemd, so any output at all
    // fails, not just the exit code.
    void verifies()
    {
        if (m_analyze.isEmpty())
            QSKIP(noAnalyze);
        const ToolRun verify = ToolRun::run(m_analyze, {u"verify"_s, m_unitForHost});
        QVERIFY2(verify.ok() && verify.err.isEmpty() && verify.out.isEmpty(),
                 verify.describe(u"systemd-analyze verify"_s));
    }

    // The hardening as systemd evaluates it (offline security review): what must be on, and what
    // must stay off because the watch scanner needs it.
    void hardeningLeavesProcAndCgroupsUsable()
    {
        if (m_analyze.isEmpty())
            QSKIP(noAnalyze);
        const ToolRun review = ToolRun::run(
            m_analyze, {u"security"_s, u"--offline=yes"_s, u"--json=short"_s, m_unitForHost});
        QVERIFY2(review.ok(), review.describe(u"systemd-analyze security"_s));
        QHash<QString, QJsonObject> checks;
        const QJsonArray entries = QJsonDocument::fromJson(review.out.toUtf8()).array();
        for (const QJsonValue &entry : entries)
            checks.insert(entry[u"json_field"].toString(), entry.toObject());
        QVERIFY2(!checks.isEmpty(), review.describe(u"systemd-analyze security"_s));

        QStringList wrong;
        const auto expect = [&](const char *check, bool on) {
            const QJsonObject result = checks.value(QLatin1String(check));
            const QJsonValue set = result.value(u"set");
            if (!set.isBool() || set.toBool() != on)
                wrong << QLatin1String(check) + u": "_s + result.value(u"description").toString();
        };
        for (const auto check : {"NoNewPrivileges", "ProtectSystem", "ProtectHome", "PrivateTmp",
                                 "ProtectKernelModules", "ProtectKernelLogs", "ProtectClock",
                                 "ProtectHostname", "RestrictRealtime", "RestrictSUIDSGID",
                                 "LockPersonality", "SystemCallArchitectures",
                                 "RestrictAddressFamilies_AF_PACKET",
                                 "RestrictAddressFamilies_OTHER"})
            expect(check, true);
        // Every process visible, cgroups writable, netlink for the proc connector, root.
        for (const auto check : {"ProtectProc", "ProcSubset", "ProtectControlGroups",
                                 "ProtectKernelTunables", "RestrictAddressFamilies_AF_NETLINK",
                                 "UserOrDynamicUser"})
            expect(check, false);
        QVERIFY2(wrong.isEmpty(), qPrintable(wrong.join(u'\n')));
        QVERIFY(checks.value(u"ProtectSystem"_s).value(u"description").toString().contains(
            u"strict"_s));
    }

    // How the service starts and stops.
    void runsTheDaemonAndNeverKillsGovernedProcesses()
    {
        QHash<QString, QStringList> service;
        QString section;
        for (const QString &line : m_source.split(u'\n')) {
            if (line.startsWith(u'['))
                section = line;
            else if (section == u"[Service]"_s && line.contains(u'=') && !line.startsWith(u'#'))
                service[line.section(u'=', 0, 0)] << line.section(u'=', 1);
        }
        QCOMPARE(service.value(u"Type"_s), QStringList{u"exec"_s});
        QCOMPARE(service.value(u"KillMode"_s), QStringList{u"process"_s});
        QCOMPARE(service.value(u"Restart"_s), QStringList{u"on-failure"_s});
        QCOMPARE(service.value(u"StateDirectory"_s), QStringList{u"pitwall"_s});
        QCOMPARE(service.value(u"ConfigurationDirectory"_s), QStringList{u"pitwall"_s});
        QCOMPARE(service.value(u"EnvironmentFile"_s),
                 QStringList{u"-/etc/pitwall/pitwall.env"_s});
        QCOMPARE(service.value(u"ReadWritePaths"_s), QStringList{u"/sys/fs/cgroup"_s});
        const QString execStart = service.value(u"ExecStart"_s).value(0);
        QVERIFY2(execStart.startsWith(u"/usr/bin/pitwall --daemon --data-dir /var/lib/pitwall"_s),
                 qPrintable(execStart));
    }
};

QTEST_GUILESS_MAIN(SystemdUnitTest)
#include "systemdunit.moc"
