#pragma once

#include <QObject>
#include <QThread>

#include <atomic>
#include <functional>
#include <memory>

namespace Pitwall {

// A thread of its own for stream exports, so paging through a long stream never blocks the
// HTTP thread. Jobs run one after another in the order posted. Destroying the runner asks a
// running job to stop (jobs poll isStopping()), waits for it and drops the jobs still queued.
class ExportRunner final
{
public:
    ExportRunner();
    ~ExportRunner();
    Q_DISABLE_COPY_MOVE(ExportRunner)

    void post(std::function<void()> job);
    bool isStopping() const { return m_stopping.load(); }

private:
    QThread m_thread;
    std::unique_ptr<QObject> m_context; // lives on m_thread: queued jobs run there
    std::atomic<bool> m_stopping{false};
};

} // namespace Pitwall
