#pragma once

#include <QObject>
#include <QPointer>
#include <QThread>

#include <functional>

namespace Pitwall {

class Database;
class EngineHost;
class RelayConsoleService;
class RelayEngine;
class StreamTableModel;

// What the relay panels share, on the GUI thread: the RelayConsoleService on a worker thread,
// the live stream table fed by the relay engine's dashboard events, and epoch resets, which
// only the relay engine can do (they need the forwarder's live session). The engine must
// outlive the console's use of it: after EngineHost::stop() the panels send it nothing.
class RelayConsole final : public QObject
{
    Q_OBJECT

public:
    // The stream table loads whenever the host's database becomes ready (at start-up it may
    // still be migrating); from then on the engine's events keep it current.
    RelayConsole(EngineHost &host, RelayEngine &engine, QObject *parent = nullptr);
    ~RelayConsole() override;

    // Lives on the worker thread: connect to its signals, call it through run() only.
    const RelayConsoleService &service() const { return *m_service; }
    // Queues `request` to the service's thread; dropped once the service stopped.
    void run(std::function<void(RelayConsoleService &)> request);
    StreamTableModel &streams() { return *m_streams; }
    const Database &database() const { return m_database; }

    // Asks the relay engine for an epoch reset; epochResetFinished tells how it went.
    void resetEpoch(const QString &streamId);

signals:
    // status is the REST route's: 204 sent to the forwarder, 409 forwarder not connected,
    // 404, 503 ...; message is the error envelope's text.
    void epochResetFinished(const QString &streamId, int status, const QString &message);
    // One line for the status bar (results and failures of the panels' actions).
    void message(const QString &text);

private:
    void loadStreams();
    void stopService();

    const Database &m_database;
    QPointer<RelayEngine> m_engine;
    QThread m_thread;
    RelayConsoleService *m_service; // lives in m_thread
    StreamTableModel *m_streams;
};

} // namespace Pitwall
