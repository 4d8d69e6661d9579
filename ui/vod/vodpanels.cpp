#include "vodpanels.h"

#include "chatpanel.h"
#include "core/enginehost.h"
#include "mainwindow.h"
#include "vod/vodengine.h"
#include "vodconsole.h"
#include "vodqueuepanel.h"

#include <QStatusBar>

namespace Pitwall {

namespace {

constexpr int StatusMessageTimeoutMs = 10000;

} // namespace

void addVodPanels(MainWindow &window, EngineHost &host)
{
    auto *engine = qobject_cast<VodEngine *>(host.engine(QStringLiteral("vod")));
    if (!engine)
        return;
    auto *console = new VodConsole(host, *engine, &window);
    QStatusBar *statusBar = window.statusBar();
    QObject::connect(console, &VodConsole::message, statusBar, [statusBar](const QString &text) {
        statusBar->showMessage(text, StatusMessageTimeoutMs);
    });
    auto *queue = new VodQueuePanel(*console, &window);
    auto *chat = new ChatPanel(*console, &window);
    QObject::connect(queue, &VodQueuePanel::vodSelected, chat, &ChatPanel::showVod);
    window.addPanel(queue, Qt::TopDockWidgetArea, VodQueuePanel::tr("VOD queue"));
    window.addPanel(chat, Qt::RightDockWidgetArea, ChatPanel::tr("Chat"));
}

} // namespace Pitwall
