#include "postgrescluster.h"

#include <QFileInfo>
#include <QHostAddress>
#include <QProcess>
#include <QTcpServer>

using namespace Qt::StringLiterals;

namespace {

QString pgBinDir()
{
    const QString configured = qEnvironmentVariable("PITWALL_PG_BINDIR");
    return configured.isEmpty() ? u"/usr/lib/postgresql/15/bin"_s : configured;
}

// A port nobody listens on right now; the cluster binds it moments later.
quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

} // namespace

PostgresCluster::PostgresCluster()
    : m_dir(u"/tmp/pitwall-pg-XXXXXX"_s), m_port(freePort())
{
}

PostgresCluster::~PostgresCluster()
{
    if (m_started)
        stop();
}

bool PostgresCluster::serverAvailable()
{
    return QFileInfo(pgBinDir() + u"/pg_ctl"_s).isExecutable();
}

bool PostgresCluster::start(QString *error)
{
    m_started = run(u"start"_s, error);
    return m_started;
}

bool PostgresCluster::stop(QString *error)
{
    const bool ok = run(u"stop"_s, error);
    m_started = !ok;
    return ok;
}

QString PostgresCluster::url(const QString &database) const
{
    return u"postgres://pitwall@127.0.0.1:%1/%2"_s.arg(m_port).arg(database);
}

bool PostgresCluster::run(const QString &command, QString *error)
{
    if (!m_dir.isValid()) {
        if (error)
            *error = u"cannot create a temporary directory: "_s + m_dir.errorString();
        return false;
    }
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(u"bash"_s, {QStringLiteral(PITWALL_SOURCE_DIR "/tests/support/pg-cluster.sh"),
                               command, m_dir.path(), QString::number(m_port)});
    const bool finished = process.waitForFinished(120000);
    if (finished && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0)
        return true;
    if (error) {
        *error = u"pg-cluster.sh %1 failed: %2"_s.arg(
                command, QString::fromLocal8Bit(process.readAll()).trimmed());
    }
    return false;
}
