#include "watch/helperlimitapplier.h"

#include "core/log/logcategories.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

HelperLimitApplier::HelperLimitApplier(QStringList launcher, Liveness alive, QObject *parent)
    : LimitApplier(parent)
    , m_launcher(std::move(launcher))
    , m_alive(std::move(alive))
    , m_client(m_launcher, this)
{
    connect(&m_client, &HelperClient::finished, this, &HelperLimitApplier::answered);
}

QString HelperLimitApplier::describe() const
{
    return u"not root: limits go through %1"_s.arg(m_launcher.join(u' '));
}

// Nothing to prepare here: the helper prepares the base of helper.conf with every request.
void HelperLimitApplier::configure(const CgroupManager &)
{
}

void HelperLimitApplier::apply(const ProcessInfo &process, const QString &,
                               const CgroupLimits &limits)
{
    // The helper names the job itself, by the same rule (CgroupManager::jobIdFor).
    m_queue.enqueue({process, limits});
    sendNext();
}

// The helper acts on live processes only, so the empty job of an exited one stays until a
// root daemon's start-up sweep; nothing was tried, nothing failed.
bool HelperLimitApplier::release(const QString &jobId, QString *)
{
    qCDebug(lcWatch).noquote() << "job" << jobId << "left in place: not root";
    return true;
}

QStringList HelperLimitApplier::sweepEmptyJobs()
{
    return {};
}

void HelperLimitApplier::sendNext()
{
    if (m_inFlight || m_queue.isEmpty())
        return;
    m_inFlight = true;
    const Pending &next = m_queue.head();
    HelperRequest request;
    request.verb = HelperRequest::Verb::Apply;
    request.pid = next.process.pid;
    request.startTime = next.process.startTimeTicks;
    request.limits = next.limits;
    m_client.send(request);
}

void HelperLimitApplier::answered(const HelperClient::Result &answer)
{
    m_inFlight = false;
    const Pending done = m_queue.dequeue();
    Result result;
    // ok with an error: the job was made but its answer was unreadable; applying again reuses it.
    if (answer.ok && answer.error.isEmpty()) {
        result.status = Result::Status::Applied;
        result.jobId = answer.jobId;
        result.applied = answer.applied;
    } else if (!m_alive({done.process.pid, done.process.startTimeTicks})) {
        result.status = Result::Status::Vanished;
    } else {
        result.error = answer.error;
    }
    emit finished(done.process, result);
    sendNext();
}

} // namespace Pitwall
