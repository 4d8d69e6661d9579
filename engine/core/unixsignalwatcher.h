#pragma once

#include <QObject>

#include <initializer_list>

class QSocketNotifier;

namespace Pitwall {

// Turns SIGTERM/SIGINT/SIGHUP into Qt signals on the thread that created the watcher, through
// a self-pipe: the only work done inside the real signal handler is one write(2).
class UnixSignalWatcher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UnixSignalWatcher)

public:
    explicit UnixSignalWatcher(std::initializer_list<int> signalNumbers, QObject *parent = nullptr);
    ~UnixSignalWatcher() override;

signals:
    void received(int signalNumber);

private:
    void drain();

    QSocketNotifier *m_notifier = nullptr;
};

} // namespace Pitwall
