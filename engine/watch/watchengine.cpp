#include "watch/watchengine.h"

#include "core/config/duration.h"
#include "core/log/logcategories.h"
#include "watch/procconnector.h"
#include "watch/watchcomponent.h"

#include <QCoreApplication>
#include <QJsonDocument>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace Pitwall {

namespace {

ProcessKey keyOf(const ProcessInfo &process)
{
    return {process.pid, process.startTimeTicks};
}

QString pidKey(int pid)
{
    return QString::number(pid);
}

RetryTracker::Policy retryPolicy(const WatchConfig &config)
{
    RetryTracker::Policy policy;
    policy.maxAttempts = config.maxRetryAttempts;
    return policy;
}

} // namespace

WatchEngine::WatchEngine(WatchConfig config, QString configFile, QProcessEnvironment environment,
                         QString dataDir, MetricsRegistry &metrics, LimitApplier::Access access,
                         QObject *parent)
    : Engine(parent)
    , m_config(std::move(config))
    , m_configFile(std::move(configFile))
    , m_environment(std::move(environment))
    , m_dataDir(std::move(dataDir))
    , m_access(std::move(access))
    , m_metrics(metrics)
    , m_component(std::make_shared<WatchComponent>())
    , m_health(m_config.scanInterval, QDateTime::currentDateTimeUtc())
    , m_retries(retryPolicy(m_config))
{
    setObjectName(u"watch"_s);
    // Parented so moveToThread takes the timers along into the engine's thread.
    for (QTimer *timer : {&m_scanTimer, &m_flushTimer, &m_healthTimer})
        timer->setParent(this);
    connect(&m_scanTimer, &QTimer::timeout, this, &WatchEngine::scan);
    connect(&m_flushTimer, &QTimer::timeout, this, &WatchEngine::flush);
    connect(&m_healthTimer, &QTimer::timeout, this, &WatchEngine::evaluateHealth);
    m_healthTimer.setInterval(1s);
}

WatchEngine::~WatchEngine() = default;

std::shared_ptr<EngineComponent> WatchEngine::component() const
{
    return m_component;
}

void WatchEngine::applyConfig()
{
    m_scanner.emplace(ProcFs(m_config.procRoot), m_config.targetCommands,
                      int(QCoreApplication::applicationPid()));
    m_filter.emplace(m_config);
    m_cgroups.emplace(m_config.cgroupRoot.isEmpty() ? CgroupLayout::detect()
                                                    : CgroupLayout::fromRoot(m_config.cgroupRoot),
                      m_config.cgroupBase);
    m_stateFile.emplace(m_config.statePath);
    m_health.setScanInterval(m_config.scanInterval);
    m_retries.setPolicy(retryPolicy(m_config));
    m_scanTimer.setInterval(m_config.scanInterval);
    m_flushTimer.setInterval(m_config.stateFlushInterval);
    m_ignored.clear();

    m_applier->configure(*m_cgroups);
    qCInfo(lcWatch).noquote() << u"Scan interval: %1, target commands: %2, cgroups: %3"_s.arg(
        formatDuration(m_config.scanInterval), m_config.targetCommands.join(u", "_s),
        m_cgroups->layout().describe());
}

void WatchEngine::start()
{
    m_applier = LimitApplier::create(m_access, [this](const ProcessKey &key) {
        return m_scanner->isAlive(key.pid, key.startTimeTicks);
    }, this);
    connect(m_applier, &LimitApplier::finished, this, &WatchEngine::attachFinished);
    qCInfo(lcWatch).noquote() << m_applier->describe();
    applyConfig();
    loadState();
    const QStringList swept = m_applier->sweepEmptyJobs();
    if (!swept.isEmpty())
        qCInfo(lcWatch).noquote() << "Removed empty job cgroups:" << swept.join(u", "_s);

    m_connector = new ProcConnector(this);
    connect(m_connector, &ProcConnector::execed, this, &WatchEngine::processExeced);
    connect(m_connector, &ProcConnector::exited, this, &WatchEngine::processExited);
    connect(m_connector, &ProcConnector::overrun, this, [this] {
        m_metrics.eventOverruns.inc();
        scan();
    });
    QString error;
    if (!m_connector->start(&error)) {
        qCInfo(lcWatch).noquote() << "proc connector unavailable, discovery by polling only:"
                                  << error;
        delete m_connector;
        m_connector = nullptr;
    }
    m_scanTimer.start();
    m_flushTimer.start();
    m_healthTimer.start();
    m_started = true;
    qCInfo(lcWatch) << "Performing initial scan...";
    scan();
    changed();
}

void WatchEngine::stop()
{
    m_scanTimer.stop();
    m_flushTimer.stop();
    m_healthTimer.stop();
    if (m_connector)
        m_connector->stop();
    m_started = false;
    // Governed processes stay where they are, in their job cgroups, under their limits.
    flush();
    qCInfo(lcWatch) << "State saved";
    publish();
}

void WatchEngine::reload()
{
    QString error;
    const auto config = WatchConfig::load(m_configFile, m_environment, m_dataDir, &error);
    if (!config) {
        qCWarning(lcWatch).noquote() << "configuration not reloaded, keeping the old one:" << error;
        return;
    }
    m_config = *config;
    applyConfig();
    qCInfo(lcWatch).noquote() << "configuration reloaded from" << m_configFile
                              << "(new limits apply to processes attached from now on)";
    scan();
}

void WatchEngine::loadState()
{
    StateLoadResult loaded = m_stateFile->load();
    if (!loaded.warning.isEmpty())
        qCWarning(lcWatch).noquote() << loaded.warning;
    m_state.statistics = loaded.state.statistics;
    int stale = 0;
    for (const TrackedProcess &process : std::as_const(loaded.state.processes)) {
        // Re-adopted only when it is the same incarnation and still in its job cgroup.
        if (process.startTimeTicks != 0
            && m_scanner->isAlive(process.pid, process.startTimeTicks)
            && m_cgroups->jobContainsPid(process.jobId, process.pid)) {
            m_state.processes.insert(pidKey(process.pid), process);
            continue;
        }
        ++stale;
        QString ignored;
        m_applier->release(process.jobId, &ignored);
    }
    if (stale > 0)
        qCInfo(lcWatch).noquote() << u"[state] Cleaned %1 stale PIDs from state"_s.arg(stale);
    qCInfo(lcWatch).noquote() << "State loaded from" << m_stateFile->path();
}

void WatchEngine::scan()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const ScanResult result = m_scanner->scan();
    if (!result.ok) {
        m_metrics.scanFailures.inc();
        qCWarning(lcWatch).noquote() << "Scan failed:" << result.error;
        recordHealthChange(m_health.recordScanFailure(now, result.error));
        return;
    }
    m_metrics.scans.inc();
    m_metrics.scanDuration.observe(double(result.duration.count()) / 1e6);
    Statistics &statistics = m_state.statistics;
    ++statistics.totalScans;
    statistics.lastScanAt = now;
    statistics.lastScanDurationMs = double(result.duration.count()) / 1000.0;

    QSet<ProcessKey> alive;
    QList<ProcessInfo> fresh;
    QList<ProcessInfo> retryDue;
    for (const ProcessInfo &process : result.processes) {
        const ProcessKey key = keyOf(process);
        alive.insert(key);
        const auto tracked = m_state.processes.find(pidKey(process.pid));
        if (tracked != m_state.processes.end()) {
            if (tracked->startTimeTicks == process.startTimeTicks) {
                tracked->lastSeenAt = now;
                continue;
            }
            detach(process.pid, u"replaced by a new process with the same PID"_s);
        }
        if (m_ignored.contains(key) || m_deferred.contains(key) || m_attaching.contains(key))
            continue;
        if (m_retries.failures(key) == 0)
            fresh.append(process);
        else if (m_retries.due(key, now))
            retryDue.append(process);
    }
    const QList<TrackedProcess> tracked = m_state.processes.values();
    for (const TrackedProcess &process : tracked) {
        if (!alive.contains(process.key()))
            detach(process.pid, u"exited"_s);
    }
    m_ignored.removeIf([&alive](auto it) { return !alive.contains(it.key()); });
    m_deferred.removeIf([&alive](const ProcessKey &key) { return !alive.contains(key); });
    m_retries.retainOnly(alive);

    const qsizetype trackedBefore = m_state.processes.size();
    if (!fresh.isEmpty())
        qCInfo(lcWatch).noquote() << u"Discovered %1 new process(es)"_s.arg(fresh.size());
    for (const ProcessInfo &process : std::as_const(fresh))
        consider(process, now);
    for (const ProcessInfo &process : std::as_const(retryDue)) {
        qCInfo(lcWatch).noquote() << u"[retry] Retrying attachment to PID %1 (attempt %2/%3)"_s
                                         .arg(process.pid)
                                         .arg(m_retries.failures(keyOf(process)) + 1)
                                         .arg(m_config.maxRetryAttempts);
        attach(process, now);
    }
    if (!fresh.isEmpty())
        qCInfo(lcWatch).noquote() << u"Scan complete: new=%1 tracked=%2 duration=%3ms"_s
                                         .arg(fresh.size())
                                         .arg(trackedBefore)
                                         .arg(statistics.lastScanDurationMs, 0, 'f', 1);
    recordHealthChange(m_health.recordScanSuccess(now));
    publish();
}

void WatchEngine::consider(const ProcessInfo &process, const QDateTime &now)
{
    const ProcessKey key = keyOf(process);
    const FilterDecision decision = m_filter->decide(process, now);
    if (decision.verdict == FilterDecision::Verdict::Reject) {
        m_deferred.remove(key);
        m_ignored.insert(key, decision.reason);
        qCInfo(lcWatch).noquote() << u"Ignoring PID %1 (%2): %3"_s.arg(process.pid)
                                         .arg(process.command, decision.reason);
        return;
    }
    const bool firstSight = !m_deferred.contains(key);
    if (firstSight) {
        ++m_state.statistics.totalDiscovered;
        m_metrics.discovered.labels({process.command}).inc();
    }
    if (decision.verdict == FilterDecision::Verdict::Defer) {
        if (firstSight)
            qCInfo(lcWatch).noquote() << u"PID %1 (%2) deferred until %3: %4"_s.arg(process.pid)
                                             .arg(process.command,
                                                  decision.until.toString(Qt::ISODate),
                                                  decision.reason);
        m_deferred.insert(key);
        // min_runtime defers, it does not forget: look again when the process is old enough.
        QTimer::singleShot(std::chrono::milliseconds(std::max<qint64>(0, now.msecsTo(decision.until))),
                           this, [this, key] {
            if (!m_deferred.contains(key))
                return;
            const auto current = m_scanner->inspect(key.pid);
            if (!current || current->startTimeTicks != key.startTimeTicks) {
                m_deferred.remove(key);
                return;
            }
            consider(*current, QDateTime::currentDateTimeUtc());
        });
        return;
    }
    m_deferred.remove(key);
    attach(process, now);
}

void WatchEngine::attach(const ProcessInfo &process, const QDateTime &now)
{
    const QString jobId = CgroupManager::jobIdFor(process.command, process.pid);
    qCInfo(lcWatch).noquote() << u"Attaching to PID %1 (%2) as job %3"_s.arg(process.pid)
                                     .arg(process.command, jobId);
    m_attaching.insert(keyOf(process), now);
    m_applier->apply(process, jobId, m_config.effectiveLimits(process.command));
}

void WatchEngine::attachFinished(const ProcessInfo &process, const LimitApplier::Result &result)
{
    const ProcessKey key = keyOf(process);
    const QDateTime discoveredAt = m_attaching.take(key);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (result.status == LimitApplier::Result::Status::Vanished) {
        m_retries.forget(key);
        qCInfo(lcWatch).noquote() << u"PID %1 exited before it could be attached"_s
                                         .arg(process.pid);
        return;
    }
    if (result.status == LimitApplier::Result::Status::Failed)
        return recordAttachFailure(process, result.error, now);

    TrackedProcess tracked;
    tracked.pid = process.pid;
    tracked.startTimeTicks = process.startTimeTicks;
    tracked.command = process.command;
    tracked.jobId = result.jobId;
    tracked.discoveredAt = discoveredAt;
    tracked.attachedAt = now;
    tracked.lastSeenAt = now;
    tracked.cgroupPaths = result.applied.paths;
    tracked.limitsApplied = result.applied.limits;
    tracked.exePath = process.exePath;
    tracked.uid = process.uid;
    tracked.ppid = process.ppid;
    m_state.processes.insert(pidKey(process.pid), tracked);
    ++m_state.statistics.totalAttachments;
    m_metrics.attached.labels({process.command}).inc();
    m_retries.forget(key);
    recordHealthChange(m_health.recordAttachSuccess(now));
    const QByteArray limits =
        QJsonDocument(result.applied.limits.toJson()).toJson(QJsonDocument::Compact);
    qCInfo(lcWatch).noquote() << u"Attached to PID %1 (job: %2), limits %3"_s.arg(process.pid)
                                     .arg(result.jobId, QString::fromUtf8(limits));
    changed();
}

void WatchEngine::recordAttachFailure(const ProcessInfo &process, const QString &error,
                                      const QDateTime &now)
{
    const ProcessKey key = keyOf(process);
    ++m_state.statistics.totalFailed;
    m_metrics.attachFailures.labels({process.command}).inc();
    m_retries.recordFailure(key, now, error);
    recordHealthChange(m_health.recordAttachFailure(now, error));
    if (m_retries.exhausted(key)) {
        m_ignored.insert(key, error);
        qCWarning(lcWatch).noquote() << u"[retry] PID %1 exceeded max attempts (%2): %3"_s
                                            .arg(process.pid)
                                            .arg(m_config.maxRetryAttempts)
                                            .arg(error);
    } else {
        qCWarning(lcWatch).noquote() << u"Attachment to PID %1 failed: %2; next attempt at %3"_s
                                            .arg(process.pid)
                                            .arg(error, m_retries.nextAttemptAt(key)
                                                            .toString(Qt::ISODate));
    }
    changed();
}

void WatchEngine::detach(int pid, const QString &why)
{
    const auto it = m_state.processes.find(pidKey(pid));
    if (it == m_state.processes.end())
        return;
    const TrackedProcess process = *it;
    m_state.processes.erase(it);
    QString error;
    if (!m_applier->release(process.jobId, &error))
        qCWarning(lcWatch).noquote() << "job cgroup not removed:" << error;
    ++m_state.statistics.totalExited;
    m_metrics.exited.labels({process.command}).inc();
    const double seconds = process.attachedAt.msecsTo(QDateTime::currentDateTimeUtc()) / 1000.0;
    qCInfo(lcWatch).noquote() << u"Process %1 %2 (job %3, duration: %4s)"_s.arg(pid)
                                     .arg(why, process.jobId)
                                     .arg(seconds, 0, 'f', 2);
    qCInfo(lcWatch).noquote() << u"Detached from PID %1 (job: %2)"_s.arg(pid).arg(process.jobId);
    changed();
}

void WatchEngine::processExeced(int pid)
{
    const auto process = m_scanner->inspect(pid);
    if (!process)
        return;
    const ProcessKey key = keyOf(*process);
    const auto tracked = m_state.processes.constFind(pidKey(pid));
    if (tracked != m_state.processes.cend() && tracked->key() == key)
        return;
    if (tracked != m_state.processes.cend())
        detach(pid, u"replaced by a new process with the same PID"_s);
    if (m_ignored.contains(key) || m_deferred.contains(key) || m_attaching.contains(key)
        || m_retries.failures(key) > 0)
        return;
    qCInfo(lcWatch).noquote() << u"Discovered 1 new process(es)"_s;
    consider(*process, QDateTime::currentDateTimeUtc());
}

void WatchEngine::processExited(int pid)
{
    const auto tracked = m_state.processes.constFind(pidKey(pid));
    if (tracked != m_state.processes.cend()
        && !m_scanner->isAlive(pid, tracked->startTimeTicks))
        detach(pid, u"exited"_s);
}

void WatchEngine::evaluateHealth()
{
    recordHealthChange(m_health.evaluate(QDateTime::currentDateTimeUtc()));
}

void WatchEngine::recordHealthChange(bool statusChanged)
{
    m_state.health = m_health.health();
    m_metrics.health.set(double(int(m_state.health.status)));
    if (!statusChanged)
        return;
    if (m_state.health.status == Health::Status::Healthy)
        qCInfo(lcWatch).noquote() << m_health.logLine();
    else
        qCWarning(lcWatch).noquote() << m_health.logLine();
    changed();
}

void WatchEngine::changed()
{
    m_metrics.tracked.set(double(m_state.processes.size()));
    publish();
    if (m_flushPending)
        return;
    m_flushPending = true;
    QTimer::singleShot(0, this, &WatchEngine::flush);
}

void WatchEngine::flush()
{
    m_flushPending = false;
    QString error;
    if (!m_stateFile->save(m_state, &error))
        qCWarning(lcWatch).noquote() << "[state] Failed to flush state:" << error;
}

void WatchEngine::publish()
{
    m_component->publish({m_started, m_connector ? u"proc connector"_s : u"polling"_s,
                          m_cgroups->layout().describe(), m_config.cgroupBase,
                          m_config.statePath, m_state});
}

} // namespace Pitwall
