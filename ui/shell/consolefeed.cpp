#include "shell/consolefeed.h"

#include "shell/consolesampler.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

ConsoleFeed::ConsoleFeed(EngineHost &host, int intervalMs, QObject *parent)
    : QObject(parent)
    , m_sampler(new ConsoleSampler(host, intervalMs))
{
    qRegisterMetaType<ConsoleSample>();
    m_thread.setObjectName(u"console-sampler"_s);
    m_sampler->moveToThread(&m_thread);
    connect(&m_thread, &QThread::started, m_sampler, &ConsoleSampler::start);
    connect(&m_thread, &QThread::finished, m_sampler, &QObject::deleteLater);
    // Queued: the sampler's thread is not this object's.
    connect(m_sampler, &ConsoleSampler::sampled, this, &ConsoleFeed::sampled);
    m_thread.start();
}

ConsoleFeed::~ConsoleFeed()
{
    m_thread.quit();
    m_thread.wait();
}

} // namespace Pitwall
