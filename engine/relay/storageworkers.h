#pragma once

#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QThread>

#include <functional>
#include <memory>

namespace Pitwall {

// Threads that run the relay's database work, each with its own connection of the Database
// (opened on first use in that thread). Work posted under one key always runs on the same
// thread, in posting order: a forwarder's batches stay in order while different forwarders
// ingest in parallel. Results come back to the home object's thread (the relay thread).
class StorageWorkers final
{
public:
    StorageWorkers(int count, const QString &name, QObject *home);
    ~StorageWorkers();
    Q_DISABLE_COPY_MOVE(StorageWorkers)

    int count() const { return int(m_threads.size()); }

    void post(size_t key, std::function<void()> work);

    // Runs work() on a worker, then done(result) on the home thread while owner still exists.
    template <typename Result>
    void run(size_t key, QObject *owner, std::function<Result()> work,
             std::function<void(Result)> done)
    {
        post(key, [home = m_home, owner = QPointer<QObject>(owner), work = std::move(work),
                   done = std::move(done)] {
            auto result = std::make_shared<Result>(work());
            QMetaObject::invokeMethod(home, [owner, done, result] {
                if (owner)
                    done(std::move(*result));
            });
        });
    }

    // Lets the work already posted finish, then ends the threads. Idempotent.
    void stop();

private:
    QObject *const m_home;
    QList<QThread *> m_threads;
    QList<QObject *> m_anchors; // one per thread, lives there: the target of posted work
    bool m_stopped = false;
};

} // namespace Pitwall
