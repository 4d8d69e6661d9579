#pragma once

#include "appliedlimits.h"
#include "cgrouplimits.h"
#include "watch/processinfo.h"
#include "watch/trackedprocess.h"

#include <QObject>
#include <QStringList>

#include <functional>

namespace Pitwall {

class CgroupManager;

// How the watch engine puts a process under limits. Root writes the cgroups itself
// (DirectLimitApplier); anybody else has no write access to the cgroup tree and asks
// pitwall-helper through pkexec (HelperLimitApplier). The engine keeps all the attach
// bookkeeping (retries, counters, state) and only learns the outcome from finished().
class LimitApplier : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LimitApplier)

public:
    // Who the engine runs as, and how it reaches the helper when it is not root.
    struct Access
    {
        uint euid = 0;
        QStringList helperLauncher;

        // geteuid() and pkexec with the installed helper.
        static Access ofThisProcess();
    };

    struct Result
    {
        enum class Status {
            Applied,  // the process sits in `jobId` under `applied`
            Failed,   // nothing changed; `error` says why, the engine retries
            Vanished, // the process exited (or its pid was reused) before it could be attached
        };
        Status status = Status::Failed;
        QString jobId;
        AppliedLimits applied;
        QString error;
    };

    // (pid, start time) still names a live, non-zombie process.
    using Liveness = std::function<bool(const ProcessKey &)>;

    // Direct for euid 0, Helper for everybody else; owned by `parent`.
    static LimitApplier *create(const Access &access, Liveness alive, QObject *parent);

    using QObject::QObject;

    // For the start-up log: where limits go.
    virtual QString describe() const = 0;
    // Start and reload: the job cgroups of the (new) configuration.
    virtual void configure(const CgroupManager &cgroups) = 0;
    // Creates `jobId` with `limits` and moves the process into it; the answer is finished(),
    // which may come before apply() returns.
    virtual void apply(const ProcessInfo &process, const QString &jobId,
                       const CgroupLimits &limits) = 0;
    // The job of a process that is gone, where this applier is allowed to remove it; false with
    // `error` when a removal was tried and failed.
    virtual bool release(const QString &jobId, QString *error) = 0;
    // At start: removes the empty jobs of processes that exited while nobody watched.
    virtual QStringList sweepEmptyJobs() = 0;

signals:
    void finished(const Pitwall::ProcessInfo &process, const Pitwall::LimitApplier::Result &result);
};

} // namespace Pitwall

Q_DECLARE_METATYPE(Pitwall::LimitApplier::Result)
