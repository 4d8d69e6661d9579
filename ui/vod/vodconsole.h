#pragma once

#include <QObject>
#include <QPointer>
#include <QThread>

#include <functional>

namespace Pitwall {

class ChatTableModel;
class EngineHost;
class VodConsoleService;
class VodEngine;
class VodTableModel;

// What the VOD panels share, on the GUI thread: the queue and chat tables, fed by the VOD
// engine's queued signals and loaded by a VodConsoleService on a worker thread; the operator's
// actions go to the engine's thread, whose vodChanged() then updates the table. The engine must
// outlive the console's use of it: after EngineHost::stop() the panels send it nothing.
class VodConsole final : public QObject
{
    Q_OBJECT

public:
    VodConsole(EngineHost &host, VodEngine &engine, QObject *parent = nullptr);
    ~VodConsole() override;

    VodTableModel &queue() { return *m_queue; }
    ChatTableModel &chat() { return *m_chat; }

    void cancel(const QString &vodId);
    void reprocess(const QString &vodId);
    void setPriority(const QString &vodId, int priority);
    void setSkipUpload(const QString &vodId, bool skip);
    // Shows this VOD's chat in the chat table (empty: live chat of every channel).
    void showChat(const QString &vodId);

signals:
    // One line for the status bar (results and failures).
    void message(const QString &text);

private:
    void loadVods();
    // Queues `action` to the engine's thread.
    void toEngine(std::function<void(VodEngine &)> action);
    // Queues `request` to the service's thread.
    void toService(std::function<void(VodConsoleService &)> request);

    QPointer<VodEngine> m_engine;
    QThread m_thread;
    VodConsoleService *m_service; // lives in m_thread
    VodTableModel *m_queue;
    ChatTableModel *m_chat;
};

} // namespace Pitwall
