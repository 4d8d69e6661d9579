#include "watch/directlimitapplier.h"

#include "core/log/logcategories.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

DirectLimitApplier::DirectLimitApplier(Liveness alive, QObject *parent)
    : LimitApplier(parent)
    , m_alive(std::move(alive))
{
}

QString DirectLimitApplier::describe() const
{
    return u"running as root: limits are written to the cgroups directly"_s;
}

void DirectLimitApplier::configure(const CgroupManager &cgroups)
{
    m_cgroups = cgroups;
    QString error;
    if (!m_cgroups->prepareBase(&error))
        qCWarning(lcWatch).noquote() << "cgroup base not usable, attaches will fail:" << error;
}

void DirectLimitApplier::apply(const ProcessInfo &process, const QString &jobId,
                               const CgroupLimits &limits)
{
    emit finished(process, attach(process, jobId, limits));
}

LimitApplier::Result DirectLimitApplier::attach(const ProcessInfo &process, const QString &jobId,
                                                const CgroupLimits &limits)
{
    Result result;
    const auto applied = m_cgroups->createJob(jobId, limits, &result.error);
    if (!applied)
        return result;
    // Identity is checked on both sides of the move: a PID that exited or was reused must not
    // leave a stranger in the job cgroup.
    const ProcessKey key{process.pid, process.startTimeTicks};
    const bool movedOk = m_alive(key) && m_cgroups->movePid(jobId, process.pid, &result.error);
    if (!movedOk || !m_alive(key)) {
        QString cleanup;
        if (movedOk)
            m_cgroups->movePidToRoot(process.pid, &cleanup);
        m_cgroups->removeJob(jobId, &cleanup);
        if (!m_alive(key))
            result.status = Result::Status::Vanished;
        return result;
    }
    result.status = Result::Status::Applied;
    result.jobId = jobId;
    result.applied = *applied;
    return result;
}

bool DirectLimitApplier::release(const QString &jobId, QString *error)
{
    return m_cgroups->removeJob(jobId, error);
}

QStringList DirectLimitApplier::sweepEmptyJobs()
{
    return m_cgroups->sweepEmptyJobs();
}

} // namespace Pitwall
