#include "vodconsole.h"

#include "chattablemodel.h"
#include "core/db/databasesupervisor.h"
#include "core/enginehost.h"
#include "vod/vodengine.h"
#include "vodconsoleservice.h"
#include "vodtablemodel.h"

namespace Pitwall {

namespace {

constexpr int ChatRowsShown = 5000;

} // namespace

VodConsole::VodConsole(EngineHost &host, VodEngine &engine, QObject *parent)
    : QObject(parent)
    , m_engine(&engine)
    , m_service(new VodConsoleService(host.database()))
    , m_queue(new VodTableModel(this))
    , m_chat(new ChatTableModel(ChatRowsShown, this))
{
    m_thread.setObjectName(QStringLiteral("vod-console"));
    m_service->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_service, &QObject::deleteLater);
    connect(m_service, &VodConsoleService::vodsLoaded, m_queue, &VodTableModel::setVods);
    connect(m_service, &VodConsoleService::chatLoaded, m_chat, &ChatTableModel::setMessages);
    connect(m_service, &VodConsoleService::failed, this, &VodConsole::message);
    connect(&engine, &VodEngine::vodChanged, m_queue, &VodTableModel::updateVod);
    connect(&engine, &VodEngine::progress, m_queue, &VodTableModel::updateProgress);
    connect(&engine, &VodEngine::chatMessages, m_chat, &ChatTableModel::appendLive);
    m_thread.start();

    DatabaseSupervisor *supervisor = host.databaseSupervisor();
    if (!supervisor) {
        loadVods();
        return;
    }
    // At start-up the database may still be migrating: load once it is ready.
    connect(supervisor, &DatabaseSupervisor::statusChanged, this,
            [this](const DatabaseStatus &status) {
                if (status.ready)
                    loadVods();
            });
    if (supervisor->status().ready)
        loadVods();
}

VodConsole::~VodConsole()
{
    m_thread.quit();
    m_thread.wait();
}

void VodConsole::cancel(const QString &vodId)
{
    toEngine([vodId](VodEngine &engine) { engine.cancel(vodId); });
}

void VodConsole::reprocess(const QString &vodId)
{
    toEngine([vodId](VodEngine &engine) { engine.reprocess(vodId); });
}

void VodConsole::setPriority(const QString &vodId, int priority)
{
    toEngine([vodId, priority](VodEngine &engine) { engine.setPriority(vodId, priority); });
}

void VodConsole::setSkipUpload(const QString &vodId, bool skip)
{
    toEngine([vodId, skip](VodEngine &engine) { engine.setSkipUpload(vodId, skip); });
}

void VodConsole::showChat(const QString &vodId)
{
    m_chat->showVod(vodId);
    if (!vodId.isEmpty())
        toService([vodId](VodConsoleService &service) { service.loadChat(vodId, ChatRowsShown); });
}

void VodConsole::loadVods()
{
    toService([](VodConsoleService &service) { service.loadVods(); });
}

void VodConsole::toEngine(std::function<void(VodEngine &)> action)
{
    VodEngine *engine = m_engine.data();
    if (!engine) {
        emit message(tr("The VOD engine is not running."));
        return;
    }
    QMetaObject::invokeMethod(engine, [engine, action = std::move(action)] { action(*engine); });
}

void VodConsole::toService(std::function<void(VodConsoleService &)> request)
{
    QMetaObject::invokeMethod(m_service, [service = m_service, request = std::move(request)] {
        request(*service);
    });
}

} // namespace Pitwall
