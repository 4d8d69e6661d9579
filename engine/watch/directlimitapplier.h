#pragma once

#include "watch/limitapplier.h"

#include "cgroupmanager.h"

#include <optional>

namespace Pitwall {

// Root's way: writes the job cgroups itself through CgroupManager and answers at once.
class DirectLimitApplier final : public LimitApplier
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DirectLimitApplier)

public:
    explicit DirectLimitApplier(Liveness alive, QObject *parent = nullptr);

    QString describe() const override;
    void configure(const CgroupManager &cgroups) override;
    void apply(const ProcessInfo &process, const QString &jobId,
               const CgroupLimits &limits) override;
    bool release(const QString &jobId, QString *error) override;
    QStringList sweepEmptyJobs() override;

private:
    Result attach(const ProcessInfo &process, const QString &jobId, const CgroupLimits &limits);

    Liveness m_alive;
    std::optional<CgroupManager> m_cgroups;
};

} // namespace Pitwall
