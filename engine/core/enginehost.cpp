#include "core/enginehost.h"

#include "core/coreroutes.h"
#include "core/databasecomponent.h"
#include "core/engine.h"
#include "core/db/database.h"
#include "core/db/databasesettings.h"
#include "core/db/databasesupervisor.h"
#include "core/db/walcheckpointer.h"
#include "core/http/httpserver.h"
#include "core/heaptrimmer.h"
#include "core/http/router.h"
#include "core/log/logcategories.h"
#include "core/metrics/metricsregistry.h"
#include "core/metrics/processmetrics.h"
#include "core/threadpriority.h"

#include <QDir>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Pitwall {

EngineHost::EngineHost(AppConfig config, LogRing *logRing, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_logRing(logRing)
    , m_metrics(std::make_unique<MetricsRegistry>())
    , m_router(std::make_unique<Router>(
              AdminGuard(m_config.adminToken, m_config.adminUsername, m_config.adminPassword)))
{
    m_databaseThread.setObjectName(u"db"_s);
    m_httpThread.setObjectName(u"http"_s);
    registerProcessMetrics(*m_metrics);
    registerHttpMetrics();
    registerCoreRoutes(*this);
}

EngineHost::~EngineHost()
{
    stop();
}

bool EngineHost::start(QString *error, const std::function<void(EngineHost &)> &addEngines)
{
    m_startedAt = QDateTime::currentDateTimeUtc();
    if (!QDir().mkpath(m_config.dataDir)) {
        *error = u"cannot create the data directory %1"_s.arg(m_config.dataDir);
        return false;
    }

    // The loader already validated the URL; parsing again only fills in the settings.
    QString settingsError;
    auto settings = DatabaseSettings::parse(m_config.databaseUrl, m_config.dataDir, &settingsError);
    if (!settings) {
        *error = settingsError;
        return false;
    }
    settings->setBusyTimeout(m_config.databaseBusyTimeout);
    settings->setWalAutoCheckpoint(false); // the WalCheckpointer below does it
    m_database = std::make_unique<Database>(*settings);
    qCInfo(lcCore).noquote() << "database:" << settings->redacted();

    m_supervisor = new DatabaseSupervisor(*m_database);
    DatabaseSupervisor::Timing timing;
    timing.maxBackoff = m_config.databaseRetryMaxBackoff;
    m_supervisor->setTiming(timing);
    m_supervisor->moveToThread(&m_databaseThread);
    connect(&m_databaseThread, &QThread::finished, m_supervisor, &QObject::deleteLater);
    connect(m_supervisor, &DatabaseSupervisor::migrationFailed, this, &EngineHost::fatalError);
    addComponent(std::make_shared<DatabaseComponent>(*m_supervisor, *m_database));
    // The database thread is idle most of the time: it also gives freed heap back and, on
    // SQLite, keeps the write-ahead log short.
    auto *trimmer = new HeapTrimmer;
    trimmer->moveToThread(&m_databaseThread);
    connect(&m_databaseThread, &QThread::finished, trimmer, &QObject::deleteLater);
    WalCheckpointer *checkpointer = nullptr;
    if (!settings->dialect().isPostgres()) {
        checkpointer = new WalCheckpointer(*m_database, *m_metrics);
        checkpointer->moveToThread(&m_databaseThread);
        connect(&m_databaseThread, &QThread::finished, checkpointer, &QObject::deleteLater);
    }
    startWorker(m_databaseThread);
    QMetaObject::invokeMethod(m_supervisor, &DatabaseSupervisor::start);
    QMetaObject::invokeMethod(trimmer, &HeapTrimmer::start);
    if (checkpointer)
        QMetaObject::invokeMethod(checkpointer, &WalCheckpointer::start);

    if (addEngines)
        addEngines(*this);

    HttpLimits limits;
    limits.maxBodyBytes = m_config.httpMaxBodyBytes;
    limits.requestTimeout = m_config.httpRequestTimeout;
    limits.keepAliveTimeout = m_config.httpKeepAliveTimeout;
    m_httpServer = new HttpServer(*m_router, limits);
    m_httpServer->setRequestObserver(m_requestObserver);
    m_httpServer->moveToThread(&m_httpThread);
    connect(&m_httpThread, &QThread::finished, m_httpServer, &QObject::deleteLater);
    startWorker(m_httpThread);

    bool listening = false;
    QString listenError;
    QMetaObject::invokeMethod(m_httpServer, [&] {
        listening = m_httpServer->listen(m_config.bindAddress, m_config.bindPort, &listenError);
        m_httpPort.storeRelaxed(m_httpServer->port());
    }, Qt::BlockingQueuedConnection);
    if (!listening) {
        *error = listenError;
        return false;
    }
    qCInfo(lcCore).noquote() << u"listening on %1:%2"_s.arg(m_config.bindAddress.toString())
                                    .arg(httpPort());
    return true;
}

void EngineHost::stop()
{
    if (m_stopped)
        return;
    m_stopped = true;
    if (m_httpServer && m_httpThread.isRunning()) {
        QMetaObject::invokeMethod(m_httpServer, [this] {
            m_httpServer->close();
        }, Qt::BlockingQueuedConnection);
        // Streams never go idle on their own: the engines end them before the wait.
        for (const RunningEngine &running : std::as_const(m_engines))
            QMetaObject::invokeMethod(running.engine, &Engine::closeStreams,
                                      Qt::BlockingQueuedConnection);
        QMetaObject::invokeMethod(m_httpServer, [this] {
            m_httpServer->waitForIdle(m_config.shutdownTimeout);
        }, Qt::BlockingQueuedConnection);
    }
    // Engines finish their in-flight work while the database is still there for them.
    for (const RunningEngine &running : std::as_const(m_engines)) {
        QMetaObject::invokeMethod(running.engine, &Engine::stop, Qt::BlockingQueuedConnection);
        running.thread->quit();
        if (!running.thread->wait(m_config.shutdownTimeout.count()))
            qCWarning(lcCore) << "engine" << running.thread->objectName()
                              << "did not stop in time";
        delete running.thread;
    }
    m_engines.clear();
    if (m_supervisor && m_databaseThread.isRunning())
        QMetaObject::invokeMethod(m_supervisor, &DatabaseSupervisor::stop,
                                  Qt::BlockingQueuedConnection);
    for (QThread *thread : {&m_httpThread, &m_databaseThread}) {
        thread->quit();
        if (!thread->wait(m_config.shutdownTimeout.count()))
            qCWarning(lcCore) << "thread" << thread->objectName() << "did not stop in time";
    }
    m_httpServer = nullptr;
    m_supervisor = nullptr;
    qCInfo(lcCore) << "stopped";
}

quint16 EngineHost::httpPort() const
{
    return m_httpPort.loadRelaxed();
}

void EngineHost::addEngine(std::unique_ptr<Engine> engine)
{
    auto *thread = new QThread;
    thread->setObjectName(engine->objectName());
    addComponent(engine->component());
    Engine *raw = engine.release();
    raw->moveToThread(thread);
    connect(thread, &QThread::finished, raw, &QObject::deleteLater);
    startWorker(*thread);
    QMetaObject::invokeMethod(raw, &Engine::start);
    m_engines.append({raw, thread});
}

void EngineHost::startWorker(QThread &thread)
{
    if (m_workerNice != 0) {
        // Direct: `started` is emitted by the new thread itself, before its event loop runs.
        connect(&thread, &QThread::started, &thread, [nice = m_workerNice, name = thread.objectName()] {
            QString error;
            if (!setCurrentThreadNice(nice, &error))
                qCWarning(lcCore).noquote() << "thread" << name << "keeps its priority:" << error;
        }, Qt::DirectConnection);
    }
    thread.start();
}

void EngineHost::reloadEngines()
{
    for (const RunningEngine &running : std::as_const(m_engines))
        QMetaObject::invokeMethod(running.engine, &Engine::reload);
}

bool EngineHost::hasEngine(const QString &objectName) const
{
    return engine(objectName) != nullptr;
}

Engine *EngineHost::engine(const QString &objectName) const
{
    // The thread carries the engine's name and, unlike the engine, lives in this thread.
    const auto it = std::find_if(m_engines.cbegin(), m_engines.cend(),
                                 [&](const RunningEngine &running) {
                                     return running.thread->objectName() == objectName;
                                 });
    return it == m_engines.cend() ? nullptr : it->engine;
}

void EngineHost::addComponent(std::shared_ptr<EngineComponent> component)
{
    QMutexLocker lock(&m_componentsMutex);
    m_components.append(std::move(component));
}

QList<std::shared_ptr<EngineComponent>> EngineHost::components() const
{
    QMutexLocker lock(&m_componentsMutex);
    return m_components;
}

void EngineHost::registerHttpMetrics()
{
    auto &requests = m_metrics->counter(u"pitwall_http_requests_total"_s,
                                        u"HTTP requests answered, by method and status code"_s,
                                        {u"method"_s, u"code"_s});
    auto &duration = m_metrics->histogram(u"pitwall_http_request_duration_seconds"_s,
                                          u"Time from request received to response finished"_s,
                                          {0.001, 0.005, 0.025, 0.1, 0.5, 2.5, 10}, {});
    m_requestObserver = [&requests, &duration](const HttpRequest &request, int status,
                                               std::chrono::microseconds elapsed) {
        // Clients choose the method: only known ones become label values, so the series stay few.
        static const QList<QByteArray> known{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE",
                                             "OPTIONS"};
        const QString method = known.contains(request.method) ? QString::fromLatin1(request.method)
                                                               : u"other"_s;
        requests.labels({method, QString::number(status)}).inc();
        duration.unlabelled().observe(double(elapsed.count()) / 1e6);
    };
}

} // namespace Pitwall
