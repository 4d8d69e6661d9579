#include "shell/limitsrequester.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

LimitsRequester::LimitsRequester(QStringList launcher, QObject *parent)
    : QObject(parent)
    , m_client(new HelperClient(std::move(launcher)))
{
    qRegisterMetaType<HelperClient::Result>();
    m_thread.setObjectName(u"limits-helper"_s);
    m_client->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_client, &QObject::deleteLater);
    connect(m_client, &HelperClient::finished, this, [this](const HelperClient::Result &result) {
        m_busy = false;
        emit finished(result);
    });
    m_thread.start();
}

LimitsRequester::~LimitsRequester()
{
    m_thread.quit();
    m_thread.wait();
}

void LimitsRequester::send(const HelperRequest &request)
{
    m_busy = true;
    QMetaObject::invokeMethod(m_client, [client = m_client, request] { client->send(request); });
}

} // namespace Pitwall
