#pragma once

#include "core/engine.h"
#include "watch/healthmonitor.h"
#include "watch/limitapplier.h"
#include "watch/processfilter.h"
#include "watch/processscanner.h"
#include "watch/retrytracker.h"
#include "watch/statefile.h"
#include "watch/watchconfig.h"
#include "watch/watchmetrics.h"

#include "cgroupmanager.h"

#include <QProcessEnvironment>
#include <QSet>
#include <QTimer>

#include <memory>
#include <optional>

namespace Pitwall {

class ProcConnector;
class WatchComponent;

// Finds target processes Pitwall did not start and governs them with cgroup limits. It owns
// the one tracking table, in its own thread. It never signals, re-parents or kills a process:
// the only things it does to one are a cgroup move and the limits of that cgroup.
class WatchEngine final : public Engine
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WatchEngine)

public:
    // `configFile` and `environment` are kept for reload(); `config` is their first reading.
    // `access` decides at start() whether limits are written directly or through the helper.
    WatchEngine(WatchConfig config, QString configFile, QProcessEnvironment environment,
                QString dataDir, MetricsRegistry &metrics,
                LimitApplier::Access access = LimitApplier::Access::ofThisProcess(),
                QObject *parent = nullptr);
    ~WatchEngine() override;

    std::shared_ptr<EngineComponent> component() const override;

public slots:
    void start() override;
    void stop() override;
    void reload() override;

private:
    void applyConfig();
    void loadState();
    void scan();
    void consider(const ProcessInfo &process, const QDateTime &now);
    void attach(const ProcessInfo &process, const QDateTime &now);
    void attachFinished(const ProcessInfo &process, const LimitApplier::Result &result);
    void recordAttachFailure(const ProcessInfo &process, const QString &error,
                             const QDateTime &now);
    void detach(int pid, const QString &why);
    void processExeced(int pid);
    void processExited(int pid);
    void evaluateHealth();
    void recordHealthChange(bool changed);
    void changed();
    void flush();
    void publish();

    WatchConfig m_config;
    const QString m_configFile;
    const QProcessEnvironment m_environment;
    const QString m_dataDir;
    const LimitApplier::Access m_access;
    WatchMetrics m_metrics;
    std::shared_ptr<WatchComponent> m_component;

    std::optional<ProcessScanner> m_scanner;
    std::optional<ProcessFilter> m_filter;
    std::optional<CgroupManager> m_cgroups; // this configuration's layout and jobs, for reading
    std::optional<StateFile> m_stateFile;
    HealthMonitor m_health;
    RetryTracker m_retries;
    WatchState m_state;
    // Seen but not governed: rejected by a filter (kept so the log says it once) or out of retries.
    QHash<ProcessKey, QString> m_ignored;
    QSet<ProcessKey> m_deferred;
    // Handed to the applier and not answered yet, with the time each was discovered.
    QHash<ProcessKey, QDateTime> m_attaching;

    ProcConnector *m_connector = nullptr;
    LimitApplier *m_applier = nullptr; // every cgroup write goes through it; made at start()
    QTimer m_scanTimer;
    QTimer m_flushTimer;
    QTimer m_healthTimer;
    bool m_flushPending = false;
    bool m_started = false;
};

} // namespace Pitwall
