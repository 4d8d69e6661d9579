#include "relay/storageworkers.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

StorageWorkers::StorageWorkers(int count, const QString &name, QObject *home) : m_home(home)
{
    for (int i = 0; i < std::max(1, count); ++i) {
        auto *thread = new QThread;
        thread->setObjectName(u"%1-%2"_s.arg(name).arg(i));
        auto *anchor = new QObject;
        anchor->moveToThread(thread);
        QObject::connect(thread, &QThread::finished, anchor, &QObject::deleteLater);
        thread->start();
        m_threads.append(thread);
        m_anchors.append(anchor);
    }
}

StorageWorkers::~StorageWorkers()
{
    stop();
}

void StorageWorkers::post(size_t key, std::function<void()> work)
{
    if (m_stopped)
        return;
    QMetaObject::invokeMethod(m_anchors.at(qsizetype(key % size_t(m_anchors.size()))),
                              std::move(work));
}

void StorageWorkers::stop()
{
    if (m_stopped)
        return;
    m_stopped = true;
    for (qsizetype i = 0; i < m_threads.size(); ++i) {
        // Queued after everything already posted, so returning means that work is done.
        QMetaObject::invokeMethod(m_anchors.at(i), [] {}, Qt::BlockingQueuedConnection);
        m_threads.at(i)->quit();
        m_threads.at(i)->wait();
        delete m_threads.at(i);
    }
    m_threads.clear();
    m_anchors.clear();
}

} // namespace Pitwall
