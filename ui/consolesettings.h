#pragma once

#include <QByteArray>
#include <QSettings>
#include <QString>

namespace Pitwall {

// The desktop console's own settings (QSettings "pitwall"/"pitwall"): what the Settings dialog
// edits and what the desktop start-up reads. The daemon and the GUI-less build never read them.
class ConsoleSettings final
{
    Q_DISABLE_COPY_MOVE(ConsoleSettings)

public:
    ConsoleSettings();

    bool watchEnabled() const;
    // As stored, also while the watch scanner is switched off, so the dialog can show it.
    QString watchConfigFile() const;
    // The file the watch scanner is to run with: the stored one when enabled, otherwise empty.
    QString enabledWatchConfigFile() const;
    void setWatch(bool enabled, const QString &configFile);

    // The console's language: a locale name such as "de" or "en", empty to follow the system.
    // Read once at start-up (installTranslations), so a change counts from the next start.
    QString language() const;
    void setLanguage(const QString &language);

    // QMainWindow::saveGeometry() and saveState(version), as the window last closed.
    QByteArray windowGeometry() const;
    QByteArray windowState() const;
    void setWindowLayout(const QByteArray &geometry, const QByteArray &state);

private:
    QSettings m_settings;
};

} // namespace Pitwall
