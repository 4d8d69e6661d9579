#pragma once

#include "helperrequest.h"
#include "watch/helperclient.h"

#include <QObject>
#include <QThread>

namespace Pitwall {

// Sends the console's apply/clear requests to pitwall-helper (pkexec in production) from a
// thread of its own, so neither starting the helper nor a slow polkit dialog touches the GUI
// thread. One request at a time, like HelperClient; the answer comes back queued.
class LimitsRequester final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LimitsRequester)

public:
    explicit LimitsRequester(QStringList launcher = HelperClient::defaultLauncher(),
                             QObject *parent = nullptr);
    ~LimitsRequester() override;

    void send(const HelperRequest &request);
    bool isBusy() const { return m_busy; }

signals:
    void finished(const Pitwall::HelperClient::Result &result);

private:
    QThread m_thread;
    HelperClient *m_client = nullptr; // lives in m_thread
    bool m_busy = false;
};

} // namespace Pitwall
