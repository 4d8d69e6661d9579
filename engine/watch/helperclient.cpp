#include "watch/helperclient.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

// pkexec's own exit codes (pkexec(1)), never used by pitwall-helper itself.
constexpr int PkexecDismissed = 126;
constexpr int PkexecNotAuthorized = 127;

} // namespace

QStringList HelperClient::defaultLauncher()
{
    return {u"pkexec"_s, QStringLiteral(PITWALL_HELPER_PATH)};
}

HelperClient::HelperClient(QStringList launcher, QObject *parent)
    : QObject(parent)
    , m_launcher(std::move(launcher))
{
}

HelperClient::~HelperClient()
{
    if (m_process) {
        m_process->disconnect(this);
        m_process->kill();
        m_process->waitForFinished(1000);
    }
}

void HelperClient::send(const HelperRequest &request)
{
    if (m_process) {
        Result busy;
        busy.error = tr("Another limits request is still waiting for its answer.");
        emit finished(busy);
        return;
    }
    m_process = new QProcess(this);
    connect(m_process, &QProcess::finished, this, &HelperClient::processFinished);
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            processFinished();
    });
    m_process->start(m_launcher.constFirst(), m_launcher.mid(1));
    if (!m_process) // QProcess may report FailedToStart from within start()
        return;
    m_process->write(QJsonDocument(request.toJson()).toJson(QJsonDocument::Compact));
    m_process->closeWriteChannel();
}

void HelperClient::processFinished()
{
    QProcess *process = std::exchange(m_process, nullptr);
    Result result;
    if (process->error() == QProcess::FailedToStart) {
        result.error = tr("Cannot start %1: %2").arg(m_launcher.constFirst(), process->errorString());
    } else {
        const int exitCode = process->exitStatus() == QProcess::NormalExit ? process->exitCode() : -1;
        result = interpret(exitCode, process->readAllStandardOutput(),
                           process->readAllStandardError());
    }
    process->deleteLater();
    emit finished(result);
}

HelperClient::Result HelperClient::interpret(int exitCode, const QByteArray &output,
                                             const QByteArray &errors)
{
    Result result;
    result.exitCode = exitCode;
    if (exitCode == PkexecDismissed) {
        result.error = tr("The authentication dialog was dismissed; nothing was changed.");
        return result;
    }
    if (exitCode == PkexecNotAuthorized) {
        result.error = tr("Not authorized to change cgroup limits (or pkexec could not run the "
                          "helper): %1").arg(QString::fromUtf8(errors.trimmed()));
        return result;
    }
    const QJsonObject answer = QJsonDocument::fromJson(output.trimmed()).object();
    if (answer.isEmpty()) {
        result.error = tr("The helper exited with code %1 without an answer: %2")
                           .arg(exitCode)
                           .arg(QString::fromUtf8(errors.trimmed()));
        return result;
    }
    result.ok = exitCode == 0 && answer.value(u"ok"_s).toBool();
    result.jobId = answer.value(u"job_id"_s).toString();
    if (!result.ok) {
        result.error = tr("The helper refused (%1): %2")
                           .arg(answer.value(u"code"_s).toString(),
                                answer.value(u"error"_s).toString());
        return result;
    }
    QString parseError;
    if (answer.contains(u"applied"_s)) { // apply answers carry AppliedLimits; clear answers do not
        if (const auto applied = AppliedLimits::fromJson(answer, &parseError))
            result.applied = *applied;
        else
            result.error = parseError;
    }
    return result;
}

} // namespace Pitwall
