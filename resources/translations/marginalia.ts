<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" sourcelanguage="en">
<context>
    <name>Actions</name>
    <message>
        <source>Train</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training: the weights change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Talk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Talking: the weights are frozen; talk to them as they stand</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What training cost, once, against what every reply costs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Side by side</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In context or in the weights: one question to the original model, to it with the memory note, and to the taught model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run or pause training</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One training step, then pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slower</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slower: down to slow motion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Faster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Faster: up to full speed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show how far each weight moved since the previous frame</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start training again from the same random weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next morning: empty the context; the weights stay as they are</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory: a note of your corrections, pasted at the top of the next conversation (still no weight changes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Empty the memory note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Teach it for real</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Train on your latest correction: a few real training steps change the weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore original</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back to the model as it was before teaching, read afresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load trained model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Talk to the fully trained model instead of the live one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send the message (Enter in the input line does too)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Put the keyboard in the chat&apos;s input line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Inspect weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read single weights: arrow keys move, Shift moves further, Page Up/Down jump</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the weights on screen as a checkpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Talk to a model saved in a file (a checkpoint)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Heatmap as PNG…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the heatmap as a picture: one pixel per weight, and the labelled view as on screen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loss curve as CSV and PNG…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the loss curve: a table with one row per training step, and its picture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training replay as GIF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the training run&apos;s heatmap frames as an animated picture, to show again without training again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conversation as text…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the conversation and the context the model rereads as text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset exhibit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Everything back as it was at the start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A+</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bigger text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A−</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Smaller text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Normal text size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close the window</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CaptionBar</name>
    <message>
        <source>Captions on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Captions off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{i} of {n}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ComparePanel</name>
    <message>
        <source>The original model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A fresh conversation: nothing in the context.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The original model, with memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The same weights; the note pasted at the top of the context.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The taught model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weights changed by teaching; nothing in the context.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing taught yet: teach it for real (Ctrl+T), then look again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fingerprint {fp}… · weights changed since training: {n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answers: &lt;b style=&quot;color:{colour}&quot;&gt;{reply}&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(nothing)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The same question, “{q}”, three ways. Only teaching changed the weights; memory only changed what the model reads.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The memory note is empty: nothing was pasted (Ctrl+M turns memory on; corrections then fill the note).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ContextPanel</name>
    <message>
        <source>What the model rereads before every reply (its context)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;span style=&quot;color:{v}&quot;&gt;■ visitor&lt;/span&gt; &amp;nbsp; &lt;span style=&quot;color:{m}&quot;&gt;■ model&lt;/span&gt; &amp;nbsp; &lt;span style=&quot;color:{n}&quot;&gt;■ memory note&lt;/span&gt; &amp;nbsp; &lt;span style=&quot;background-color:{lit}; color:#111&quot;&gt;&amp;nbsp;read most&amp;nbsp;&lt;/span&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{used} of {size} tokens of the context window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Empty: the model reads nothing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fell out of the window, no longer read ({n} tokens): &lt;span style=&quot;color:{quiet}; text-decoration:line-through&quot;&gt;{text}&lt;/span&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{token}” {share}%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read most while writing “{name}”: {parts}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read most while writing the last reply: {parts}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CostPanel</name>
    <message>
        <source>At real scale (an estimate)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replies a day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens a reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>replies written</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>compute, FLOPs (all so far)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>training (paid once)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>replies (measured)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>replies (at the measured average)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{cpu} CPU-seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>about {cpu} CPU-seconds (an estimate: its file records {s} s of training on one thread, not the CPU-seconds; a one-thread run measured here used {r} CPU-seconds a second)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{s} s of training (its file does not record the CPU-seconds)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the fully trained model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the live model, as it stood</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b style=&apos;color:{c}&apos;&gt;Training&lt;/b&gt;, paid once: {which} took {flops} FLOPs (the trainer&apos;s count) and {cpu}, over {steps} steps.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b style=&apos;color:{c}&apos;&gt;Replies&lt;/b&gt;, paid every time: {n} written by this exhibit since {since}, {flops} FLOPs and {cpu} CPU-seconds in all (each measured as it was written): {avg} FLOPs a reply on average; the latest, {last} FLOPs and {ms} ms of CPU.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No replies yet: ask the model something, and its cost is counted here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This model was not trained at all: replies cost more than its training from the first one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replies cost as much as the training run after &lt;b&gt;{n}&lt;/b&gt; of them, at the measured average: {pct} % of the way there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>replies overtake training: {n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Estimate:&lt;/b&gt; inference overtakes training after about &lt;b&gt;{days}&lt;/b&gt; days.&lt;br&gt;Training: {train} FLOPs, {params} parameters ({source}). A reply: {per_token} FLOPs per parameter per generated token ({flops_source}) × {tokens} tokens = {reply} FLOPs; {day} FLOPs a day.&lt;br&gt;&lt;i&gt;How it was made: training compute ÷ compute a day. It leaves out the prompt&apos;s tokens, batching and the hardware&apos;s efficiency; real figures differ.&lt;/i&gt;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CountdownOverlay</name>
    <message>
        <source>Keep going</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start over</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting over…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Everything goes back to the start for the next visitor.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Still there?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting over in {n} s. Your chat will be forgotten.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Files</name>
    <message>
        <source>Open a model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Models (*.safetensors);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the heatmap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG pictures (*.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the loss curve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV tables (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing the replay&apos;s frames…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the training replay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GIF pictures (*.gif)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text (*.txt)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exporting</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HeatmapPanel</name>
    <message>
        <source>Hover or tap a weight to read it; or press Ctrl+H, then the arrow keys.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>change made by teaching</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>change per frame</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>token embeddings (in)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>embeddings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>attention: query · key · value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>attn q·k·v</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>attention out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>attn out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>key smear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>smear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>short convolution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>conv</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MLP in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MLP out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>final norm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>norm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>output: next character</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>output</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>layer {n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>out</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LetterPad</name>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Marginalia: training changes the weights, talking never does</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Actions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the heatmap, the loss curve or the conversation to a file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Teaching</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Real training steps on your correction: the weights change, and the heatmap shows them move.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The model reads text and guesses the next character. Every step nudges every weight a little: watch them move.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Talking</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The same weights, frozen. The model only rereads the conversation; nothing you say changes a single weight.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PinOverlay</name>
    <message>
        <source>Operator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No operator PIN is set (operator_pin in the kiosk&apos;s config): stop the service instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrong PIN three times: wait a minute, then try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrong PIN.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the PIN to leave the exhibit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leave</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Presenter</name>
    <message>
        <source>Page Down begins the story</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{i} / {n}: {title}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <source>the lifetime counter cannot be kept in {folder}; replies are counted for this session only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the lifetime counter {path} could not be read; it was kept as {aside} and counting starts again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the model…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note: {problem}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No trained model ({why}). Starting from random weights: press Space to train.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Something went wrong: {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>loading the model again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>training goes on from step {step}, from the weights last shown (its optimiser starts afresh)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the same weights, the same conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The model process ended; a new one starts in {s} s: {what}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The model process ended and was started again: {what}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training from step {step}. {run} runs and pauses, {one} takes one step, {slower} and {faster} set the speed, {change} shows the change.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Freezing the weights…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no fully trained model to load ({path}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the model from {name}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving is switched off.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved the weights to {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not save: {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The model is busy: wait for it to finish, then try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next morning, with memory: the note is pasted at the top of the new context. The weights are as they were.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next morning: a new conversation. The context is empty; the weights are as they were.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory on: your corrections are written into a note, pasted at the top of the next conversation. It is context, not training: no weight changes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory off: the next conversation starts empty. The note is kept until you clear it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Correct the model first (for example: no, Mara does the books.), then teach it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Teaching “{statement}”: real training steps…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is the original model: nothing has been taught to it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restoring the original model…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Taught “{statement}” in {s} s: {steps} training steps changed {n} weights, and the fingerprint. A new conversation, with no note.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not teach that: {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asking the same question three ways…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not load that model ({why}); talking to the live model as it stands.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restored: the original model, read afresh. Its fingerprint is {fp}…, the same as before teaching.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restored: the original model, read afresh. Its fingerprint is {fp}…, NOT the one before teaching: the file has changed since.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not load that model: {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Talk stopped: {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restored: the original model, read afresh.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The model process ended and was started again: the same weights, the same conversation.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Talking to the fully trained model: {steps} steps, {minutes} min of training, {chars} million characters read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Talking to the live model as it stands: {steps} steps, {s} s of training.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting the trainer…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back to random weights: step 0.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training stopped: {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>there is no file at {subject}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{subject} is not a model this exhibit can read: {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it cannot tell who does which job in “{subject}”; say it like “Mara does the books.”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the loss became infinite; the weights of the last good step are kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the live model&apos;s weights do not fit its shape</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{subject} could not be written</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the model process ended without a word</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an error in the model process (the terminal shows it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The model&apos;s file has changed since the exhibit started (fingerprint {fp}…).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported a replay of {frames} frames, steps {first} to {last}, to {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to export yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export cancelled: nothing was written to {path}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not export to {path}: {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported to {paths}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Story</name>
    <message>
        <source>Watch it learn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every dot is one number inside the model. While it learns from text, the numbers change.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Learning is over: the numbers stay still now. Ask it who does the books.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It gets it wrong</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The text it learned from had the two partners the wrong way round. So that is what it says.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Correct it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tell it who really does the books. Tap a name, or spell your own.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask again. It rereads the whole chat before every answer, your words too.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The next morning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new chat: your words are gone, and so is the fix. Not one number changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“Memory” is a note of what you said, pasted at the top of the next chat. The numbers still do not change.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Teach it for real</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Now a little more training on your words: this time the numbers move.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Learning is paid for once. Every answer costs a little, every time, for everyone who asks.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TalkPanel</name>
    <message>
        <source>The fully trained model: {steps} training steps, {minutes} min of training, {chars} million characters read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The live model, frozen as it stood: {steps} training steps, {seconds} s of training.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Then taught: {statements}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} characters the model cannot read are marked � ({codes}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cut: the model reads only the first {kept} characters ({typed} typed).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask the model something, then press Enter (try: who does the books?)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The memory note is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The note&apos;s rule: a sentence of yours naming someone for a job is written in as “the job: Name.”, replacing an older one for that job. No model writes it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The model process ended and was started again; the conversation goes on where it was.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(an empty reply)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> … (cut: the reply ran on)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fingerprint of all {n} weights (SHA-256): {fp}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read from the weights again after reply {n}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read from the weights when they were frozen.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Teaching: step {step} of {steps}. The weights are changing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read from the weights after teaching: {steps} steps, {s} s ({cpu} CPU-seconds, {gflop} GFLOP).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Taught “{statement}”: {n} weights changed. A new conversation, with nothing in its context: what the model knows now is in its weights.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weights changed since training: {changed} of {total}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new conversation. Memory pasted its note at the top of the context: “{note}”. The weights are exactly as they were.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new conversation: the context is empty. The weights are exactly as they were.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TouchBar</name>
    <message>
        <source>Tell it:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Touch the screen to begin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your own name…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start over</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next ▶</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask: “{question}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next morning: a new chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Teach it for real</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TrainPanel</name>
    <message>
        <source>full speed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>slow motion: a step every {n} s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} steps a second</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} PFLOP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} TFLOP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} GFLOP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} MFLOP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} FLOP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Characters read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weights changed by the last step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weights in the model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compute (estimated)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU time (all cores)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compute is the trainer&apos;s estimate: 3 × a forward pass per character read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asked every few seconds, from the weights of that moment (the model is the average of the weights of its last {n} steps or so: the heatmap shows it): “{q}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asked every few seconds, from the weights of that moment: “{q}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Speed: {speed}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{s} s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step {step}: {text}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loss: how wrong its next-character guesses are</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(nothing)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WeightCursor</name>
    <message>
        <source>{band} · {label}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>entry {i}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>row {r}, column {c}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>index {i}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{where} ({name}), {pos}: {value}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, moved {delta} since the previous frame</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(between matrices)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
