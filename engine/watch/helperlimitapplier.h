#pragma once

#include "watch/helperclient.h"
#include "watch/limitapplier.h"

#include <QQueue>

namespace Pitwall {

// A normal user's way: every attach is one pitwall-helper request (through pkexec in
// production), one at a time, the others queued in order. The helper checks the identity on
// both sides of the move and undoes what must not stand, so a refusal has changed nothing.
// Its cgroup base and root are those of helper.conf, and it only ever acts on live processes.
class HelperLimitApplier final : public LimitApplier
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HelperLimitApplier)

public:
    HelperLimitApplier(QStringList launcher, Liveness alive, QObject *parent = nullptr);

    QString describe() const override;
    void configure(const CgroupManager &cgroups) override;
    void apply(const ProcessInfo &process, const QString &jobId,
               const CgroupLimits &limits) override;
    bool release(const QString &jobId, QString *error) override;
    QStringList sweepEmptyJobs() override;

private:
    struct Pending
    {
        ProcessInfo process;
        CgroupLimits limits;
    };

    void sendNext();
    void answered(const HelperClient::Result &answer);

    const QStringList m_launcher;
    Liveness m_alive;
    HelperClient m_client;
    QQueue<Pending> m_queue; // the head is in flight while m_inFlight
    bool m_inFlight = false;
};

} // namespace Pitwall
