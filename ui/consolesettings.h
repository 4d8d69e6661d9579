#pragma once

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

private:
    QSettings m_settings;
};

} // namespace Pitwall
