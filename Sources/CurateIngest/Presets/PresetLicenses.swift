import CurateCore

extension Preset {
    /// The licence of the public dataset a preset is named after, used when an ingest gives no
    /// `--license`. Formats rather than datasets (openai-chat, slack, msn…) have none: their
    /// logs are the user's own, and only the user knows their terms.
    ///
    /// Checked against the publishers' statements: DialogSum's README ("CC BY-NC-SA 4.0"),
    /// the SAMSum authors' dataset info ("CC BY-NC-ND 4.0"; DiaSynth's CSV is SAMSum's
    /// validation and test splits), SGD's LICENSE (CC BY-SA 4.0), Bitext's LICENSE
    /// (CDLA-Sharing-1.0), the Yelp Open Dataset terms (non-commercial use only), the NPS Chat
    /// README ("solely for non-commercial, non-profit educational and research use"),
    /// Taskmaster's README (CC BY 4.0) and the Customer Support on Twitter page (CC BY-NC-SA 4.0).
    public var defaultLicense: DataLicense? {
        Self.datasetLicenses[name].map(DataLicense.init)
    }

    static let datasetLicenses: [String: String] = [
        "dialogsum": "CC-BY-NC-SA-4.0",
        "samsum": "CC-BY-NC-ND-4.0",
        "samsum-csv": "CC-BY-NC-ND-4.0",
        "sgd": "CC-BY-SA-4.0",
        "bitext": "CDLA-Sharing-1.0",
        "yelp": "Yelp-Dataset-Terms",
        "nps-chat": "NPS-Chat-Research-Only",
        "taskmaster": "CC-BY-4.0",
        "twcs": "CC-BY-NC-SA-4.0",
    ]
}
