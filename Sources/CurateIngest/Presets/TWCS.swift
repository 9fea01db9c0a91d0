extension Preset {
    /// Customer Support on Twitter (Kaggle "twcs"): one tweet per row, rebuilt into reply
    /// threads through `in_response_to_tweet_id`. `inbound` True is the customer (user),
    /// False the company (assistant); the author id is the speaker.
    public static let twcs = Preset(
        name: "twcs",
        summary: "Twitter customer support CSV: tweet_id, author_id, inbound, created_at, text, response_tweet_id, in_response_to_tweet_id → reply threads",
        container: .csv(CSVOptions()),
        mapping: .messagePerRecord(MessageMapping(
            grouping: .replyThreads(id: "tweet_id", inReplyTo: "in_response_to_tweet_id"),
            speaker: "author_id", text: "text", role: "inbound", time: "created_at",
            roles: ["true": .user, "false": .assistant])),
        signature: ["tweet_id", "author_id", "inbound", "text", "in_response_to_tweet_id"],
        example: #"tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n1,sprintcare,False,Tue Oct 31 22:10:47 +0000 2017,@115712 I can help.,2,3"#)
}
