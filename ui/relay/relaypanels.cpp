#include "relaypanels.h"

#include "core/enginehost.h"
#include "cursorspanel.h"
#include "mainwindow.h"
#include "relay/relayengine.h"
#include "relayconsole.h"
#include "relaystreamspanel.h"
#include "streamdetailpanel.h"
#include "tokenspanel.h"

#include <QCoreApplication>
#include <QStatusBar>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

constexpr int StatusMessageTimeoutMs = 10000;

} // namespace

void addRelayPanels(MainWindow &window, EngineHost &host)
{
    auto *engine = qobject_cast<RelayEngine *>(host.engine(u"relay"_s));
    if (!engine)
        return;
    auto *console = new RelayConsole(host, *engine, &window);
    QStatusBar *statusBar = window.statusBar();
    QObject::connect(console, &RelayConsole::message, statusBar, [statusBar](const QString &text) {
        statusBar->showMessage(text, StatusMessageTimeoutMs);
    });
    auto *streams = new RelayStreamsPanel(*console, &window);
    auto *detail = new StreamDetailPanel(*console, &window);
    QObject::connect(streams, &RelayStreamsPanel::streamSelected, detail,
                     &StreamDetailPanel::showStream);
    const struct
    {
        QWidget *panel;
        Qt::DockWidgetArea area;
        const char *title;
    } panels[] = {
            {streams, Qt::LeftDockWidgetArea,
             QT_TRANSLATE_NOOP("Pitwall::RelayPanels", "Relay streams")},
            {detail, Qt::LeftDockWidgetArea,
             QT_TRANSLATE_NOOP("Pitwall::RelayPanels", "Stream detail")},
            {new TokensPanel(*console, &window), Qt::RightDockWidgetArea,
             QT_TRANSLATE_NOOP("Pitwall::RelayPanels", "Device tokens")},
            {new CursorsPanel(*console, &window), Qt::RightDockWidgetArea,
             QT_TRANSLATE_NOOP("Pitwall::RelayPanels", "Receivers and cursors")},
    };
    for (const auto &[panel, area, title] : panels)
        window.addPanel(panel, area, QCoreApplication::translate("Pitwall::RelayPanels", title));
}

} // namespace Pitwall
