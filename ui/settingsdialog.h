#pragma once

#include <QDialog>

class QCheckBox;
class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;

namespace Pitwall {

// File > Settings: the console's own settings (ConsoleSettings): its language and the watch
// scanner. OK stores them only when they are usable: an enabled watch scanner needs a file that
// WatchConfig::load accepts, and the loader's message stays in the dialog otherwise.
class SettingsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsDialog)

public:
    // `dataDir` fills in the watch config's defaults (state_path) as start-up does.
    explicit SettingsDialog(QString dataDir, QWidget *parent = nullptr);
    ~SettingsDialog() override;

    void accept() override;

private:
    QGroupBox *createLanguageGroup(const QString &current);
    void browseWatchConfig();
    void showError(const QString &message);

    const QString m_dataDir;
    QCheckBox *m_watchEnabled = nullptr;
    QLineEdit *m_watchConfigFile = nullptr;
    QLabel *m_error = nullptr;
    QComboBox *m_language = nullptr;
};

} // namespace Pitwall
