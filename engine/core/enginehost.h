#pragma once

#include "core/config/appconfig.h"
#include "core/enginecomponent.h"

#include <QDateTime>
#include <QAtomicInteger>
#include <QMutex>
#include <QObject>
#include <QThread>

#include <chrono>
#include <functional>
#include <memory>

namespace Pitwall {

class Database;
class Engine;
class DatabaseSupervisor;
class HttpServer;
struct HttpRequest;
class LogRing;
class MetricsRegistry;
class Router;

// The running engine core, shared by the desktop console and `--daemon`: the database
// supervisor on its own thread, the HTTP server on its own thread, the metrics registry, and the
// components that /readyz and /status report on. Nothing here touches the GUI thread's time.
class EngineHost final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EngineHost)

public:
    EngineHost(AppConfig config, LogRing *logRing, QObject *parent = nullptr);
    ~EngineHost() override;

    // Creates the data dir, starts the database supervisor (which keeps retrying on its own)
    // and binds the HTTP server. `addEngines` runs once the database exists and before the
    // server listens, so no client ever sees the engines' routes missing. False with a reason
    // when the server cannot listen.
    bool start(QString *error, const std::function<void(EngineHost &)> &addEngines = {});

    // Before start(): every thread the host starts (database, HTTP, one per engine) runs at this
    // nice value, and the threads they start inherit it. The desktop console sets it, so that
    // on a machine whose cores are busy its GUI thread gets a CPU before the engines do.
    void setWorkerNice(int nice) { m_workerNice = nice; }

    // SIGTERM path: stop accepting connections, let in-flight requests and database work finish
    // (bounded by shutdown_timeout), then stop the threads. Safe to call twice.
    void stop();

    const AppConfig &config() const { return m_config; }
    QDateTime startedAt() const { return m_startedAt; }
    quint16 httpPort() const;
    MetricsRegistry &metrics() { return *m_metrics; }
    Router &router() { return *m_router; }
    LogRing *logRing() const { return m_logRing; }
    const Database &database() const { return *m_database; }
    DatabaseSupervisor *databaseSupervisor() const { return m_supervisor; }

    // Runs the engine on a thread of its own named after its objectName(), from now until stop().
    // Its component joins /readyz and /status.
    void addEngine(std::unique_ptr<Engine> engine);
    // Asks every engine to re-read its configuration (SIGHUP, the console). Queued: no waiting.
    void reloadEngines();
    // Whether addEngine() was given an engine with this objectName ("watch", "relay").
    bool hasEngine(const QString &objectName) const;
    // That engine, or nullptr. It lives on its own thread until stop(): use it through queued
    // calls and its signals only (the console's panels).
    Engine *engine(const QString &objectName) const;

    // /readyz requires every component to be ready; /status shows each one's summary.
    void addComponent(std::shared_ptr<EngineComponent> component);
    QList<std::shared_ptr<EngineComponent>> components() const;

signals:
    // Something that start-up cannot get past (a failed migration): the app exits with it.
    void fatalError(const QString &message);

private:
    void registerHttpMetrics();
    // Starts `thread` at the worker nice value.
    void startWorker(QThread &thread);

    AppConfig m_config;
    LogRing *m_logRing;
    std::unique_ptr<MetricsRegistry> m_metrics;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<Router> m_router;
    QThread m_databaseThread;
    QThread m_httpThread;
    DatabaseSupervisor *m_supervisor = nullptr; // lives in m_databaseThread
    HttpServer *m_httpServer = nullptr;         // lives in m_httpThread
    mutable QMutex m_componentsMutex;
    QList<std::shared_ptr<EngineComponent>> m_components;
    struct RunningEngine
    {
        Engine *engine; // owned by its thread: deleted when the thread finishes
        QThread *thread;
    };
    QList<RunningEngine> m_engines;
    QDateTime m_startedAt;
    int m_workerNice = 0;
    QAtomicInteger<quint16> m_httpPort = 0;
    std::function<void(const HttpRequest &, int, std::chrono::microseconds)> m_requestObserver;
    bool m_stopped = false;
};

} // namespace Pitwall
