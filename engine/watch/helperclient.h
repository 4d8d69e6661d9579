#pragma once

#include "appliedlimits.h"
#include "helperrequest.h"

#include <QObject>
#include <QStringList>

class QProcess;

namespace Pitwall {

// The desktop console's way to apply or clear limits as a normal user: it runs pitwall-helper
// through pkexec (polkit action org.pitwall.helper.apply-limits), writes one request and reads
// the one-line answer. Asynchronous: the polkit dialog may take as long as the operator does.
class HelperClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HelperClient)

public:
    struct Result
    {
        bool ok = false;
        int exitCode = -1;
        QString jobId;
        AppliedLimits applied; // apply only
        QString error;         // for the operator: what went wrong and what it means
    };

    // The command that starts the helper; the default is pkexec with the installed helper.
    static QStringList defaultLauncher();
    explicit HelperClient(QStringList launcher = defaultLauncher(), QObject *parent = nullptr);
    ~HelperClient() override;

    // One request at a time; a second one while busy is answered at once with an error.
    void send(const HelperRequest &request);
    bool isBusy() const { return m_process != nullptr; }

signals:
    void finished(const Pitwall::HelperClient::Result &result);

private:
    void processFinished();
    static Result interpret(int exitCode, const QByteArray &output, const QByteArray &errors);

    QStringList m_launcher;
    QProcess *m_process = nullptr;
};

} // namespace Pitwall

Q_DECLARE_METATYPE(Pitwall::HelperClient::Result)
