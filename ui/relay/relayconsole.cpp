#include "relayconsole.h"

#include "core/db/databasesupervisor.h"
#include "core/enginehost.h"
#include "core/http/httpresponse.h"
#include "relay/relayengine.h"
#include "relayconsoleservice.h"
#include "streamtablemodel.h"

#include <QCoreApplication>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace Pitwall {

RelayConsole::RelayConsole(EngineHost &host, RelayEngine &engine, QObject *parent)
    : QObject(parent)
    , m_database(host.database())
    , m_engine(&engine)
    , m_service(new RelayConsoleService(host.database(), engine.eventSink()))
    , m_streams(new StreamTableModel(this))
{
    m_thread.setObjectName(u"relay-console"_s);
    m_service->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_service, &QObject::deleteLater);
    engine.closeSessionsRevokedBy(m_service->tokenStore());
    connect(&engine, &RelayEngine::dashboardEvent, m_streams, &StreamTableModel::applyEvent);
    connect(m_service, &RelayConsoleService::streamsLoaded, m_streams,
            &StreamTableModel::setStreams);
    connect(m_service, &RelayConsoleService::failed, this, &RelayConsole::message);
    // The app stops the engines once its event loop is done, before the window goes: the
    // service's last request must not reach the relay engine after that.
    connect(QCoreApplication::instance(), &QCoreApplication::aboutToQuit, this,
            &RelayConsole::stopService);
    m_thread.start();
    DatabaseSupervisor *supervisor = host.databaseSupervisor();
    if (!supervisor) {
        loadStreams();
        return;
    }
    connect(supervisor, &DatabaseSupervisor::statusChanged, this,
            [this](const DatabaseStatus &status) {
                if (status.ready)
                    loadStreams();
            });
    if (supervisor->status().ready)
        loadStreams();
}

RelayConsole::~RelayConsole()
{
    stopService();
}

void RelayConsole::stopService()
{
    m_thread.quit();
    m_thread.wait();
}

void RelayConsole::run(std::function<void(RelayConsoleService &)> request)
{
    if (m_thread.isFinished())
        return; // the service went with its thread
    QMetaObject::invokeMethod(m_service, [service = m_service, request = std::move(request)] {
        request(*service);
    });
}

void RelayConsole::loadStreams()
{
    run([](RelayConsoleService &service) { service.loadStreams(); });
}

void RelayConsole::resetEpoch(const QString &streamId)
{
    RelayEngine *engine = m_engine.data();
    if (!engine) {
        emit epochResetFinished(streamId, 503, tr("The relay engine is not running."));
        return;
    }
    QPointer<RelayConsole> self(this);
    QMetaObject::invokeMethod(engine, [engine, streamId, self] {
        engine->resetEpoch(streamId, [streamId, self](const HttpResponse &answer) {
            const int status = answer.status();
            const QString text = QJsonDocument::fromJson(answer.body())
                                         .object()
                                         .value(u"message"_s)
                                         .toString();
            // Back to the GUI thread, where `self` may be checked safely.
            QMetaObject::invokeMethod(QCoreApplication::instance(), [self, streamId, status, text] {
                if (self)
                    emit self->epochResetFinished(streamId, status, text);
            });
        });
    });
}

} // namespace Pitwall
