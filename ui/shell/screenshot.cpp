#include "shell/screenshot.h"

#include "core/log/logcategories.h"

#include <QCoreApplication>
#include <QPixmap>
#include <QTimer>
#include <QWidget>

namespace Pitwall {

namespace {

constexpr int DefaultDelayMs = 5000;

} // namespace

void scheduleScreenshot(QWidget &window)
{
    const QString file = qEnvironmentVariable("PITWALL_SCREENSHOT");
    if (file.isEmpty())
        return;
    bool ok = false;
    int delay = qEnvironmentVariableIntValue("PITWALL_SCREENSHOT_DELAY_MS", &ok);
    if (!ok || delay < 0)
        delay = DefaultDelayMs;
    // The window is the timer's context: a window closed before the delay cancels the shot.
    QTimer::singleShot(delay, &window, [&window, file] {
        const bool saved = window.grab().save(file);
        if (saved)
            qCInfo(lcUi).noquote() << "screenshot saved to" << file;
        else
            qCWarning(lcUi).noquote() << "cannot save the screenshot to" << file;
        QCoreApplication::quit();
    });
}

} // namespace Pitwall
